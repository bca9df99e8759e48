package io.github.batchpushgateway.push;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * Watches the running exchanges' {@link ExchangeDeadline}s from one daemon thread, started with
 * the first exchange and ended once none has started for a while. An exchange that starts only
 * adds itself to the watched ones and reads when the thread wakes next: the thread is woken only
 * when that is later than the exchange's deadline (the first exchange after a quiet time, or one
 * with a shorter timeout than any before). Exchanges of the same timeout, one after the other,
 * never wake it: while they run it wakes at the oldest one's deadline, and between them every
 * shortest timeout seen, so the per-exchange cost is an offer to a queue and a few volatile reads
 * and writes, where a timer per exchange would wake a timer thread twice.
 */
final class ExchangeWatchdog {

	private static final Log logger = LogFactory.getLog(ExchangeWatchdog.class);

	/** The wake time of a thread that is to end, and be started again by the next exchange. */
	static final long NEVER = Long.MAX_VALUE;

	/** How many shortest timeouts without an exchange before the thread ends. */
	private static final int QUIET_PERIODS_BEFORE_PARKING = 4;

	/** Longer timeouts are this long (a day): no clock arithmetic overflows. */
	private static final long MAX_TIMEOUT_NANOS = Duration.ofDays(1).toNanos();

	/** The thread never sleeps shorter between exchanges, even for a zero timeout. */
	private static final long MIN_QUIET_PERIOD_NANOS = Duration.ofMillis(1).toNanos();

	/** The longest sleep between exchanges. */
	private static final long MAX_QUIET_PERIOD_NANOS = Duration.ofSeconds(30).toNanos();

	private static final ExchangeWatchdog SHARED = new ExchangeWatchdog(new Jvm());

	private final Platform platform;

	private final ConcurrentLinkedQueue<ExchangeDeadline> running = new ConcurrentLinkedQueue<>();

	/** The thread, once started. */
	private volatile @Nullable Thread thread;

	/** When the thread wakes next, by the platform's clock; {@link #NEVER} when it ends. */
	private volatile long wakeAt = NEVER;

	/** When the last exchange started, by the platform's clock. */
	private volatile long lastStart;

	/** The shortest timeout seen, in nanoseconds: how long the thread sleeps between exchanges. */
	private volatile long quietPeriod = MAX_QUIET_PERIOD_NANOS;

	/**
	 * Creates a watchdog.
	 * @param platform its clock and its thread
	 */
	ExchangeWatchdog(Platform platform) {
		this.platform = platform;
	}

	/**
	 * Returns the watchdog of this JVM's exchanges.
	 * @return the shared watchdog
	 */
	static ExchangeWatchdog shared() {
		return SHARED;
	}

	/**
	 * Starts a deadline that interrupts the calling thread.
	 * @param timeout how long the exchange may take
	 * @return the deadline, to {@link ExchangeDeadline#end()} once the exchange is over
	 */
	ExchangeDeadline interruptAfter(Duration timeout) {
		Thread thread = Thread.currentThread();
		return watch(timeout, thread, null);
	}

	/**
	 * Starts a deadline that runs an action when the time is up, on this watchdog's thread.
	 * @param timeout how long the exchange may take
	 * @param whenPassed what ends the exchange, such as closing its connection; it must not block
	 * @return the deadline, to {@link ExchangeDeadline#end()} once the exchange is over
	 */
	ExchangeDeadline runAfter(Duration timeout, Runnable whenPassed) {
		Assert.notNull(whenPassed, "'whenPassed' must not be null");
		return watch(timeout, null, whenPassed);
	}

	private ExchangeDeadline watch(Duration timeout, @Nullable Thread thread, @Nullable Runnable whenPassed) {
		Assert.isTrue(timeout != null && !timeout.isNegative(), "'timeout' must not be negative");
		long timeoutNanos = Math.min(timeout.toNanos(), MAX_TIMEOUT_NANOS);
		long now = this.platform.nanoTime();
		this.lastStart = now;
		if (timeoutNanos < this.quietPeriod) {
			// Rare (the first exchange, a client with a shorter timeout): written only then, so
			// that exchanges do not all write one more field.
			this.quietPeriod = Math.max(timeoutNanos, MIN_QUIET_PERIOD_NANOS);
		}
		ExchangeDeadline deadline = new ExchangeDeadline(this, thread, whenPassed, now + timeoutNanos);
		this.running.add(deadline);
		// Read after the deadline was added; the thread writes its wake time before it looks at
		// the deadlines again, so one of the two sees the other.
		long wakeAt = this.wakeAt;
		if (wakeAt == NEVER || deadline.passesAt() - wakeAt < 0) {
			wake();
		}
		return deadline;
	}

	/** Stops watching a deadline, which ended. */
	void unwatch(ExchangeDeadline deadline) {
		this.running.remove(deadline);
	}

	/** Wakes the thread, or starts one when there is none. Rare: see {@link #watch}. */
	private void wake() {
		Thread thread;
		synchronized (this) {
			if (this.thread == null) {
				this.thread = this.platform.start(new Loop());
				return;
			}
			thread = this.thread;
		}
		this.platform.wake(thread);
	}

	/**
	 * The thread's loop. It ends after a quiet time rather than park for good: a thread parked for
	 * the life of the JVM would keep the application's class loader (this class's) from ever being
	 * collected, as when a web application is redeployed.
	 */
	private void loop() {
		boolean ended = false;
		try {
			ended = watchUntilQuiet();
		}
		finally {
			if (!ended) {
				// An error of an action ended it: the next exchange starts another.
				synchronized (this) {
					this.wakeAt = NEVER;
					this.thread = null;
				}
			}
		}
	}

	/** Returns {@code true} once no exchange has started for the quiet time. */
	private boolean watchUntilQuiet() {
		while (true) {
			long wakeAt = check();
			if (wakeAt == NEVER) {
				synchronized (this) {
					// An exchange added before this looks is seen; one added after finds no
					// thread and starts the next.
					if (this.running.isEmpty()) {
						this.thread = null;
						return true;
					}
				}
			}
			else {
				long sleep = wakeAt - this.platform.nanoTime();
				if (sleep > 0) {
					LockSupport.parkNanos(this, sleep);
				}
			}
		}
	}

	/**
	 * Passes the deadlines whose time is up, and decides when to look again. Run by the thread
	 * each time it wakes.
	 * @return when to look again, {@link #NEVER} when the thread is to end
	 */
	long check() {
		while (true) {
			long now = this.platform.nanoTime();
			long earliest = passDue(now);
			long wakeAt;
			if (earliest != NEVER) {
				wakeAt = earliest;
			}
			else if (now - this.lastStart < QUIET_PERIODS_BEFORE_PARKING * this.quietPeriod) {
				// Exchanges come and go: sleep the shortest timeout, so that the next one, whose
				// deadline is at least that far, needs no wake-up.
				wakeAt = now + this.quietPeriod;
			}
			else {
				wakeAt = NEVER;
			}
			this.wakeAt = wakeAt;
			// An exchange that started while the deadlines were read, and read the wake time
			// before it was written, is seen now.
			long earliestNow = earliestRunning();
			if (earliestNow == NEVER || (wakeAt != NEVER && earliestNow - wakeAt >= 0)) {
				return wakeAt;
			}
		}
	}

	/** Passes the due deadlines and returns the earliest of the others, {@link #NEVER} when none. */
	private long passDue(long now) {
		long earliest = NEVER;
		for (ExchangeDeadline deadline : this.running) {
			long at = deadline.passesAt();
			if (at - now <= 0) {
				this.running.remove(deadline);
				try {
					deadline.pass();
				}
				catch (RuntimeException ex) {
					// The thread must live on for the other exchanges.
					logger.debug("Could not end an exchange at its deadline", ex);
				}
			}
			else if (earliest == NEVER || at - earliest < 0) {
				earliest = at;
			}
		}
		return earliest;
	}

	private long earliestRunning() {
		long earliest = NEVER;
		for (ExchangeDeadline deadline : this.running) {
			long at = deadline.passesAt();
			if (earliest == NEVER || at - earliest < 0) {
				earliest = at;
			}
		}
		return earliest;
	}

	/** When the thread wakes next, {@link #NEVER} when it ends. */
	long wakeAt() {
		return this.wakeAt;
	}

	/** The watchdog's thread's work. */
	private final class Loop implements Runnable {

		@Override
		public void run() {
			loop();
		}

	}

	/** What the watchdog needs of the JVM, a test's own in tests. */
	interface Platform {

		/**
		 * Returns the time, as {@link System#nanoTime()}.
		 * @return the time in nanoseconds
		 */
		long nanoTime();

		/**
		 * Starts the thread that runs the given loop, once.
		 * @param loop the watchdog's loop
		 * @return the thread
		 */
		Thread start(Runnable loop);

		/**
		 * Wakes that thread, as {@link LockSupport#unpark}.
		 * @param thread the thread
		 */
		void wake(Thread thread);

	}

	/**
	 * The JVM's clock and a daemon thread. A class rather than lambdas and method references:
	 * each of those spins a class at its first use, which a short job's JVM pays at its first
	 * push (see {@code GroupSender.Attempt}).
	 */
	private static final class Jvm implements Platform {

		@Override
		public long nanoTime() {
			return System.nanoTime();
		}

		@Override
		public Thread start(Runnable loop) {
			Thread thread = new Thread(loop, "batch-pushgateway-exchange-deadline");
			thread.setDaemon(true);
			thread.start();
			return thread;
		}

		@Override
		public void wake(Thread thread) {
			LockSupport.unpark(thread);
		}

	}

}
