package io.github.batchpushgateway.metrics;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

/**
 * What is known about a job group's finished executions: the last success, the last failure and the
 * last finished run of any outcome. Immutable; each finished run yields a new instance.
 *
 * @param lastSuccess end of the last {@code COMPLETED} execution, {@code null} when none is known
 * @param lastFailure end of the last {@code FAILED} execution, {@code null} when none is known
 * @param lastFinished the last finished execution of any outcome, {@code null} when none is known
 */
public record JobHistory(@Nullable Instant lastSuccess, @Nullable Instant lastFailure,
		@Nullable FinishedRun lastFinished) {

	/** A history with no finished run. */
	public static final JobHistory EMPTY = new JobHistory(null, null, null);

	/**
	 * Returns this history with one more finished run, keeping whichever run ended last.
	 * @param run the finished run
	 * @return the updated history
	 */
	public JobHistory with(FinishedRun run) {
		Instant success = (run.completed() && isLater(run.end(), this.lastSuccess)) ? run.end() : this.lastSuccess;
		Instant failure = (run.failed() && isLater(run.end(), this.lastFailure)) ? run.end() : this.lastFailure;
		FinishedRun finished = (this.lastFinished == null || isLater(run.end(), this.lastFinished.end())) ? run
				: this.lastFinished;
		return new JobHistory(success, failure, finished);
	}

	private static boolean isLater(Instant candidate, @Nullable Instant current) {
		return current == null || !candidate.isBefore(current);
	}

	/**
	 * One finished execution.
	 *
	 * @param start when it started
	 * @param end when it ended
	 * @param completed whether it ended {@code COMPLETED}
	 * @param failed whether it ended {@code FAILED}
	 */
	public record FinishedRun(Instant start, Instant end, boolean completed, boolean failed) {

		/**
		 * Returns the finished run of an execution.
		 * @param execution an execution
		 * @return its finished run, or {@code null} while it has not finished
		 */
		public static @Nullable FinishedRun of(JobExecution execution) {
			LocalDateTime start = execution.getStartTime();
			LocalDateTime end = execution.getEndTime();
			if (start == null || end == null || execution.getStatus().isRunning()) {
				return null;
			}
			return new FinishedRun(BatchTimes.toInstant(start), BatchTimes.toInstant(end),
					execution.getStatus() == BatchStatus.COMPLETED, execution.getStatus() == BatchStatus.FAILED);
		}

		/**
		 * Returns how long the run took.
		 * @return the run's duration
		 */
		public Duration duration() {
			return Duration.between(this.start, this.end);
		}

	}

}
