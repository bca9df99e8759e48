package io.github.batchpushgateway.metrics;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A job's configured intervals and expectations, pushed with its state so that one generic set of alert rules
 * serves every job.
 *
 * <p>Internal; not an extension point: public only for the starter's other packages, and may
 * change in any release.
 *
 * @param progressInterval how often a running job pushes its state (its heartbeat)
 * @param expectedInterval how often the job is expected to succeed, {@code null} when not configured
 * @param stallTimeout how long a running job may go without progress before it counts as stalled,
 * {@code null} when not configured
 * @param maxDuration how long an execution may run, {@code null} when not configured
 * @param startSchedule when the job is expected to start, {@code null} when not configured
 * @param itemMinimum the fewest items a COMPLETED run must handle, {@code null} when not
 * configured
 */
public record JobSchedule(Duration progressInterval, @Nullable Duration expectedInterval,
		@Nullable Duration stallTimeout, @Nullable Duration maxDuration, @Nullable StartSchedule startSchedule,
		@Nullable ItemMinimum itemMinimum) {

	/**
	 * Creates a schedule without expected starts.
	 * @param progressInterval how often a running job pushes its state
	 * @param expectedInterval how often the job is expected to succeed, {@code null} when not
	 * configured
	 * @param stallTimeout how long a running job may go without progress, {@code null} when not
	 * configured
	 * @param maxDuration how long an execution may run, {@code null} when not configured
	 */
	public JobSchedule(Duration progressInterval, @Nullable Duration expectedInterval,
			@Nullable Duration stallTimeout, @Nullable Duration maxDuration) {
		this(progressInterval, expectedInterval, stallTimeout, maxDuration, null, null);
	}

	/**
	 * Creates a schedule with only the progress interval and the expected interval.
	 * @param progressInterval how often a running job pushes its state
	 * @param expectedInterval how often the job is expected to succeed, {@code null} when not
	 * configured
	 */
	public JobSchedule(Duration progressInterval, @Nullable Duration expectedInterval) {
		this(progressInterval, expectedInterval, null, null, null, null);
	}

}
