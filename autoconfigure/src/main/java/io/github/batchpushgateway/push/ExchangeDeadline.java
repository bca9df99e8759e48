package io.github.batchpushgateway.push;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * Bounds one exchange made on the calling thread: when the time is up before {@link #end()}, it
 * interrupts the thread, which makes the JDK's blocking {@code HttpClient.send} cancel the
 * exchange and return, or runs an action of the caller's, such as closing an
 * {@code HttpURLConnection} (whose blocking reads an interrupt does not end). The JDK's clients
 * bound only the wait for an answer's headers or each read; this bounds the whole answer.
 *
 * <p>The deadline waits on the JDK's shared delay thread (the one behind
 * {@link CompletableFuture#orTimeout}), and a deadline met is taken off it: no thread of its own,
 * none started per exchange. Its action never runs after {@link #end()}, and an interrupt of this
 * deadline's never outlives it.
 */
final class ExchangeDeadline {

	/** The thread to interrupt, {@code null} when the deadline runs an action instead. */
	private final @Nullable Thread thread;

	private final Runnable whenPassed;

	private final CompletableFuture<Void> timer = new CompletableFuture<>();

	/** Guarded by this object, so that the action is either run before end() or never. */
	private boolean ended;

	private boolean passed;

	private ExchangeDeadline(@Nullable Thread thread, Runnable whenPassed) {
		this.thread = thread;
		this.whenPassed = whenPassed;
	}

	/**
	 * Starts a deadline that interrupts the calling thread.
	 * @param timeout how long the exchange may take
	 * @return the deadline, to {@link #end()} once the exchange is over
	 */
	static ExchangeDeadline start(Duration timeout) {
		Thread thread = Thread.currentThread();
		return start(timeout, new ExchangeDeadline(thread, thread::interrupt));
	}

	/**
	 * Starts a deadline that runs an action when the time is up, on the delay thread.
	 * @param timeout how long the exchange may take
	 * @param whenPassed what ends the exchange, such as closing its connection; it must not block
	 * @return the deadline, to {@link #end()} once the exchange is over
	 */
	static ExchangeDeadline start(Duration timeout, Runnable whenPassed) {
		Assert.notNull(whenPassed, "'whenPassed' must not be null");
		return start(timeout, new ExchangeDeadline(null, whenPassed));
	}

	private static ExchangeDeadline start(Duration timeout, ExchangeDeadline deadline) {
		Assert.isTrue(timeout != null && !timeout.isNegative(), "'timeout' must not be negative");
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
			this.whenPassed.run();
		}
	}

	/**
	 * Whether the time was up before the exchange ended.
	 * @return {@code true} if the deadline's interrupt or action ran
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
			if (this.passed && this.thread != null) {
				Thread.interrupted();
			}
		}
		this.timer.complete(null);
	}

}
