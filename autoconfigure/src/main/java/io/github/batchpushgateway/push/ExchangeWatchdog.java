package io.github.batchpushgateway.push;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * Watches the running exchanges' {@link ExchangeDeadline}s from one daemon thread, started with
 * the first exchange and parked while none has started for a while. An exchange that starts only
 * adds itself to the watched ones and reads when the thread wakes next: the thread is woken only
 * when that is later than the exchange's deadline (the first exchange after a quiet time, or one
 * with a shorter timeout than any before). Exchanges of the same timeout, one after the other,
 * never wake it: while they run it wakes at the oldest one's deadline, and between them every
 * shortest timeout seen, so the per-exchange cost is an offer to a queue and a few volatile reads
 * and writes, where a timer per exchange would wake a timer thread twice.
 */
final class ExchangeWatchdog {

	private static final Log logger = LogFactory.getLog(ExchangeWatchdog.class);

	/** The wake time of a thread that sleeps until an exchange wakes it. */
	static final long PARKED = Long.MAX_VALUE;

	/** How many shortest timeouts without an exchange before the thread parks. */
	private static final int QUIET_PERIODS_BEFORE_PARKING = 4;

	/** Longer timeouts are this long (a day): no clock arithmetic overflows. */
	private static final long MAX_TIMEOUT_NANOS = Duration.ofDays(1).toNanos();

	/** The thread never sleeps shorter between exchanges, even for a zero timeout. */
	private static final long MIN_QUIET_PERIOD_NANOS = Duration.ofMillis(1).toNanos();

	/** The longest sleep between exchanges. */
	private static final long MAX_QUIET_PERIOD_NANOS = Duration.ofSeconds(30).toNanos();

	private static final ExchangeWatchdog SHARED = new ExchangeWatchdog(System::nanoTime, (loop) -> {
		Thread thread = new Thread(loop, "batch-pushgateway-exchange-deadline");
		thread.setDaemon(true);
		thread.start();
		return thread;
	}, LockSupport::unpark);

	private final LongSupplier nanoClock;

	private final Function<Runnable, Thread> starter;

	private final Consumer<Thread> waker;

	private final ConcurrentLinkedQueue<ExchangeDeadline> running = new ConcurrentLinkedQueue<>();

	/** The thread, once started. */
	private volatile @Nullable Thread thread;

	/** When the thread wakes next, by {@link #nanoClock}; {@link #PARKED} when only a wake-up does. */
	private volatile long wakeAt = PARKED;

	/** When the last exchange started, by {@link #nanoClock}. */
	private volatile long lastStart;

	/** The shortest timeout seen, in nanoseconds: how long the thread sleeps between exchanges. */
	private volatile long quietPeriod = MAX_QUIET_PERIOD_NANOS;

	/**
	 * Creates a watchdog.
	 * @param nanoClock the time, as {@link System#nanoTime()}
	 * @param starter starts the thread that runs the given loop, once
	 * @param waker wakes that thread, as {@link LockSupport#unpark}
	 */
	ExchangeWatchdog(LongSupplier nanoClock, Function<Runnable, Thread> starter, Consumer<Thread> waker) {
		this.nanoClock = nanoClock;
		this.starter = starter;
		this.waker = waker;
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
		return watch(timeout, thread, thread::interrupt);
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

	private ExchangeDeadline watch(Duration timeout, @Nullable Thread thread, Runnable whenPassed) {
		Assert.isTrue(timeout != null && !timeout.isNegative(), "'timeout' must not be negative");
		long timeoutNanos = Math.min(timeout.toNanos(), MAX_TIMEOUT_NANOS);
		long now = this.nanoClock.getAsLong();
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
		if (wakeAt == PARKED || deadline.passesAt() - wakeAt < 0) {
			wake();
		}
		return deadline;
	}

	/** Stops watching a deadline, which ended. */
	void unwatch(ExchangeDeadline deadline) {
		this.running.remove(deadline);
	}

	private void wake() {
		Thread thread = this.thread;
		if (thread == null) {
			synchronized (this) {
				if (this.thread == null) {
					this.thread = this.starter.apply(this::loop);
					return;
				}
				thread = this.thread;
			}
		}
		this.waker.accept(thread);
	}

	private void loop() {
		while (true) {
			long wakeAt = check();
			if (wakeAt == PARKED) {
				LockSupport.park(this);
			}
			else {
				long sleep = wakeAt - this.nanoClock.getAsLong();
				if (sleep > 0) {
					LockSupport.parkNanos(this, sleep);
				}
			}
		}
	}

	/**
	 * Passes the deadlines whose time is up, and decides when to look again. Run by the thread
	 * each time it wakes.
	 * @return when to look again, {@link #PARKED} for when an exchange wakes it
	 */
	long check() {
		while (true) {
			long now = this.nanoClock.getAsLong();
			long earliest = passDue(now);
			long wakeAt;
			if (earliest != PARKED) {
				wakeAt = earliest;
			}
			else if (now - this.lastStart < QUIET_PERIODS_BEFORE_PARKING * this.quietPeriod) {
				// Exchanges come and go: sleep the shortest timeout, so that the next one, whose
				// deadline is at least that far, needs no wake-up.
				wakeAt = now + this.quietPeriod;
			}
			else {
				wakeAt = PARKED;
			}
			this.wakeAt = wakeAt;
			// An exchange that started while the deadlines were read, and read the wake time
			// before it was written, is seen now.
			long earliestNow = earliestRunning();
			if (earliestNow == PARKED || (wakeAt != PARKED && earliestNow - wakeAt >= 0)) {
				return wakeAt;
			}
		}
	}

	/** Passes the due deadlines and returns the earliest of the others, {@link #PARKED} when none. */
	private long passDue(long now) {
		long earliest = PARKED;
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
			else if (earliest == PARKED || at - earliest < 0) {
				earliest = at;
			}
		}
		return earliest;
	}

	private long earliestRunning() {
		long earliest = PARKED;
		for (ExchangeDeadline deadline : this.running) {
			long at = deadline.passesAt();
			if (earliest == PARKED || at - earliest < 0) {
				earliest = at;
			}
		}
		return earliest;
	}

	/** When the thread wakes next, {@link #PARKED} when only an exchange wakes it. */
	long wakeAt() {
		return this.wakeAt;
	}

}
