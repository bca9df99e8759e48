package io.github.batchpushgateway.push;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Whether one group's state reached one target, told once by its sender and awaited by whoever
 * waits for it (a job's end, a flush). A latch rather than a {@code CompletableFuture}: nothing
 * is chained to it, and a timed wait on a future brings the fork-join pool's classes into a
 * process that has no other use for them.
 */
final class DeliveryOutcome {

	private final CountDownLatch known = new CountDownLatch(1);

	/** Written once, before the latch opens. */
	private volatile boolean delivered;

	/**
	 * Returns an outcome that is known: not delivered.
	 * @return the outcome
	 */
	static DeliveryOutcome failed() {
		DeliveryOutcome outcome = new DeliveryOutcome();
		outcome.complete(false);
		return outcome;
	}

	/**
	 * Tells the outcome, unless it was told already, and lets whoever waits go.
	 * @param delivered whether the target accepted the state
	 */
	synchronized void complete(boolean delivered) {
		if (isDone()) {
			return;
		}
		this.delivered = delivered;
		this.known.countDown();
	}

	/**
	 * Whether the outcome is known.
	 * @return {@code true} once told
	 */
	boolean isDone() {
		return this.known.getCount() == 0;
	}

	/**
	 * Waits until the outcome is known, at most the given time.
	 * @param timeoutNanos the longest wait, none when not positive
	 * @return whether the state was delivered; {@code false} when not known in time
	 * @throws InterruptedException when interrupted while waiting
	 */
	boolean await(long timeoutNanos) throws InterruptedException {
		if (!isDone() && !this.known.await(timeoutNanos, TimeUnit.NANOSECONDS)) {
			return false;
		}
		return this.delivered;
	}

}
