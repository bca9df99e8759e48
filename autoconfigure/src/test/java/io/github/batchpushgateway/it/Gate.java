package io.github.batchpushgateway.it;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.springframework.batch.core.step.StepExecution;

/**
 * Holds a job's reader at a chosen item until the test opens it, so a test can look at the
 * gateway while the job runs. Arm it before the run; unarmed, it lets everything through.
 */
public final class Gate {

	private volatile CountDownLatch arrived = new CountDownLatch(0);

	private volatile CountDownLatch open = new CountDownLatch(0);

	private volatile int holdAt = -1;

	private volatile StepExecution heldStep;

	/**
	 * Holds the next run when its reader is about to read the given item.
	 * @param item the 1-based item to stop before
	 */
	public void arm(int item) {
		this.arrived = new CountDownLatch(1);
		this.open = new CountDownLatch(1);
		this.holdAt = item;
	}

	void passing(int item, StepExecution step) {
		if (item != this.holdAt) {
			return;
		}
		this.heldStep = step;
		this.arrived.countDown();
		try {
			if (!this.open.await(60, TimeUnit.SECONDS)) {
				throw new IllegalStateException("Gate was never opened");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Waits until the run is held.
	 * @param timeout the longest wait
	 * @return the held step's execution
	 */
	public StepExecution awaitHeld(Duration timeout) throws InterruptedException {
		if (!this.arrived.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new AssertionError("Job did not reach the gate within " + timeout);
		}
		return this.heldStep;
	}

	/** Lets the held run go on, and disarms. */
	public void open() {
		this.holdAt = -1;
		this.open.countDown();
	}

}
