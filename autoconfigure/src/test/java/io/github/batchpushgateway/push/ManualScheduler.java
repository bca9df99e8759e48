package io.github.batchpushgateway.push;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.Trigger;

/**
 * A {@link TaskScheduler} whose tasks run only when a test says so, in time order, on the test's
 * thread: a sender's retries, redelivery and heartbeats become plain steps of the test.
 */
public final class ManualScheduler implements TaskScheduler {

	private final List<Task> tasks = new ArrayList<>();

	private final List<Runnable> periodic = new ArrayList<>();

	private final List<Duration> periods = new ArrayList<>();

	private final List<Duration> firstRunsIn = new ArrayList<>();

	private Instant now = Instant.now();

	private Runnable onSchedule = () -> {
	};

	/** Runs the given code on the caller's thread whenever a task is scheduled. */
	public void onSchedule(Runnable hook) {
		this.onSchedule = hook;
	}

	/** Runs every task due now, including those they schedule for now. */
	public synchronized int runDue() {
		int ran = 0;
		while (true) {
			Task next = this.tasks.stream()
				.filter((task) -> !task.cancelled && !task.at.isAfter(this.now))
				.min(Comparator.comparing((Task task) -> task.at))
				.orElse(null);
			if (next == null) {
				return ran;
			}
			this.tasks.remove(next);
			next.runnable.run();
			ran++;
		}
	}

	/** Moves the clock on to the next pending task and runs what is due then. */
	public synchronized Duration advanceToNext() {
		Task next = this.tasks.stream()
			.filter((task) -> !task.cancelled)
			.min(Comparator.comparing((Task task) -> task.at))
			.orElseThrow(() -> new AssertionError("nothing scheduled"));
		Duration waited = Duration.between(this.now, next.at);
		if (next.at.isAfter(this.now)) {
			this.now = next.at;
		}
		runDue();
		return waited;
	}

	/**
	 * Moves the clock by the given time, backwards too (as a wall clock set back), without
	 * running anything.
	 */
	public synchronized void shift(Duration time) {
		this.now = this.now.plus(time);
	}

	/** The delays of the pending tasks from now, in order. */
	public synchronized List<Duration> pendingDelays() {
		return this.tasks.stream()
			.filter((task) -> !task.cancelled)
			.map((task) -> Duration.between(this.now, task.at))
			.sorted()
			.toList();
	}

	/** Runs the periodic tasks once. */
	public synchronized void tick() {
		this.periodic.forEach(Runnable::run);
	}

	public synchronized List<Duration> periods() {
		return List.copyOf(this.periods);
	}

	/** How long after their scheduling the periodic tasks given a start time first run. */
	public synchronized List<Duration> firstRunsIn() {
		return List.copyOf(this.firstRunsIn);
	}

	/** The manual clock: the time moves only when a test advances it. */
	@Override
	public Clock getClock() {
		return new Clock() {

			@Override
			public ZoneId getZone() {
				return ZoneOffset.UTC;
			}

			@Override
			public Clock withZone(ZoneId zone) {
				throw new UnsupportedOperationException();
			}

			@Override
			public Instant instant() {
				synchronized (ManualScheduler.this) {
					return ManualScheduler.this.now;
				}
			}

		};
	}

	@Override
	public ScheduledFuture<?> schedule(Runnable task, Instant startTime) {
		this.onSchedule.run();
		return add(task, startTime);
	}

	private synchronized ScheduledFuture<?> add(Runnable task, Instant startTime) {
		// Times are read from getClock(), the manual clock, so a test controls time.
		Duration delay = Duration.between(this.now, startTime);
		Task scheduled = new Task(task, this.now.plus(delay.isNegative() ? Duration.ZERO : roundUp(delay)));
		this.tasks.add(scheduled);
		return scheduled;
	}

	private static Duration roundUp(Duration delay) {
		return Duration.ofMillis((delay.toNanos() + 999_999) / 1_000_000);
	}

	@Override
	public synchronized ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Duration delay) {
		this.periodic.add(task);
		this.periods.add(delay);
		return new Task(task, this.now);
	}

	@Override
	public ScheduledFuture<?> schedule(Runnable task, Trigger trigger) {
		throw new UnsupportedOperationException("not used by the starter");
	}

	@Override
	public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Instant startTime, Duration period) {
		throw new UnsupportedOperationException("not used by the starter");
	}

	@Override
	public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration period) {
		throw new UnsupportedOperationException("not used by the starter");
	}

	/** Like the periodic tasks without a start time, run by {@link #tick()}; the start is recorded. */
	@Override
	public synchronized ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Instant startTime, Duration delay) {
		this.firstRunsIn.add(Duration.between(this.now, startTime));
		return scheduleWithFixedDelay(task, delay);
	}

	private static final class Task implements ScheduledFuture<Object> {

		final Runnable runnable;

		final Instant at;

		volatile boolean cancelled;

		Task(Runnable runnable, Instant at) {
			this.runnable = runnable;
			this.at = at;
		}

		@Override
		public long getDelay(TimeUnit unit) {
			return 0;
		}

		@Override
		public int compareTo(Delayed other) {
			return 0;
		}

		@Override
		public boolean cancel(boolean mayInterruptIfRunning) {
			this.cancelled = true;
			return true;
		}

		@Override
		public boolean isCancelled() {
			return this.cancelled;
		}

		@Override
		public boolean isDone() {
			return this.cancelled;
		}

		@Override
		public Object get() {
			return null;
		}

		@Override
		public Object get(long timeout, TimeUnit unit) {
			return null;
		}

	}

}
