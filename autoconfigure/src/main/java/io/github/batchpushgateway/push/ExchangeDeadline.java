package io.github.batchpushgateway.push;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.springframework.util.Assert;

/**
 * Bounds one exchange made on the calling thread: when the time is up before {@link #end()}, the
 * thread is interrupted, which makes the JDK's blocking {@code HttpClient.send} cancel the
 * exchange and return. The JDK client bounds only the wait for an answer's headers; this bounds
 * the whole answer.
 *
 * <p>The deadline waits on the JDK's shared delay thread (the one behind
 * {@link CompletableFuture#orTimeout}), and a deadline met is taken off it: no thread of its own,
 * none started per exchange. An interrupt of this deadline's never outlives {@link #end()}.
 */
final class ExchangeDeadline {

	private final Thread thread;

	private final CompletableFuture<Void> timer = new CompletableFuture<>();

	/** Guarded by this object, so that an interrupt is either delivered before end() or never. */
	private boolean ended;

	private boolean passed;

	private ExchangeDeadline(Thread thread) {
		this.thread = thread;
	}

	/**
	 * Starts a deadline for the calling thread.
	 * @param timeout how long the exchange may take
	 * @return the deadline, to {@link #end()} once the exchange is over
	 */
	static ExchangeDeadline start(Duration timeout) {
		Assert.isTrue(timeout != null && !timeout.isNegative(), "'timeout' must not be negative");
		ExchangeDeadline deadline = new ExchangeDeadline(Thread.currentThread());
		deadline.timer.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((done, timedOut) -> {
			if (timedOut != null) {
				deadline.pass();
			}
		});
		return deadline;
	}

	private synchronized void pass() {
		if (!this.ended) {
			this.passed = true;
			this.thread.interrupt();
		}
	}

	/**
	 * Whether the time was up before the exchange ended.
	 * @return {@code true} if the thread was interrupted for it
	 */
	synchronized boolean passed() {
		return this.passed;
	}

	/**
	 * Ends the deadline, on the thread it was started on: takes it off the delay thread, and
	 * clears the interrupt it made, if the exchange did not already consume it.
	 */
	void end() {
		synchronized (this) {
			this.ended = true;
			if (this.passed) {
				Thread.interrupted();
			}
		}
		this.timer.complete(null);
	}

}
