package io.github.batchpushgateway.push;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Bounds one exchange made on the calling thread: when the time is up before {@link #end()}, it
 * interrupts the thread, which makes the JDK's blocking {@code HttpClient.send} cancel the
 * exchange and return, or runs an action of the caller's, such as closing an
 * {@code HttpURLConnection} (whose blocking reads an interrupt does not end). The JDK's clients
 * bound only the wait for an answer's headers or each read; this bounds the whole answer.
 *
 * <p>The deadlines are watched by one thread of the JVM's ({@link ExchangeWatchdog}), which only
 * the first exchange after a quiet time starts: no timer per exchange, no thread per exchange.
 * Its action never runs after {@link #end()}, and an interrupt of this deadline's never outlives
 * it.
 */
final class ExchangeDeadline {

	private final ExchangeWatchdog watchdog;

	/** The thread to interrupt, {@code null} when the deadline runs an action instead. */
	private final @Nullable Thread thread;

	/** The action, {@code null} when the deadline interrupts the thread. */
	private final @Nullable Runnable whenPassed;

	/** When the time is up, by the watchdog's clock. */
	private final long passesAt;

	/** Guarded by this object, so that the action is either run before end() or never. */
	private boolean ended;

	private boolean passed;

	ExchangeDeadline(ExchangeWatchdog watchdog, @Nullable Thread thread, @Nullable Runnable whenPassed,
			long passesAt) {
		this.watchdog = watchdog;
		this.thread = thread;
		this.whenPassed = whenPassed;
		this.passesAt = passesAt;
	}

	/**
	 * Starts a deadline that interrupts the calling thread.
	 * @param timeout how long the exchange may take
	 * @return the deadline, to {@link #end()} once the exchange is over
	 */
	static ExchangeDeadline start(Duration timeout) {
		return ExchangeWatchdog.shared().interruptAfter(timeout);
	}

	/**
	 * Starts a deadline that runs an action when the time is up, on the watchdog's thread.
	 * @param timeout how long the exchange may take
	 * @param whenPassed what ends the exchange, such as closing its connection; it must not block
	 * @return the deadline, to {@link #end()} once the exchange is over
	 */
	static ExchangeDeadline start(Duration timeout, Runnable whenPassed) {
		return ExchangeWatchdog.shared().runAfter(timeout, whenPassed);
	}

	long passesAt() {
		return this.passesAt;
	}

	/** Called by the watchdog when the time is up: ends the exchange unless it ended. */
	synchronized void pass() {
		if (!this.ended) {
			this.passed = true;
			if (this.whenPassed != null) {
				this.whenPassed.run();
			}
			else if (this.thread != null) {
				this.thread.interrupt();
			}
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
	 * Ends the deadline, on the thread it was started on: takes it off the watchdog, and clears
	 * the interrupt it made, if the exchange did not already consume it.
	 */
	void end() {
		synchronized (this) {
			this.ended = true;
			if (this.passed && this.thread != null) {
				Thread.interrupted();
			}
		}
		this.watchdog.unwatch(this);
	}

}
