package io.github.batchpushgateway.metrics;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;

import io.github.batchpushgateway.push.GroupOutcomes;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

/**
 * What is known about a job group's finished executions: the last success, the last failure and the
 * run whose outcome the group shows. Immutable; each finished run yields a new instance.
 *
 * @param lastSuccess end of the last {@code COMPLETED} execution, {@code null} when none is known
 * @param lastFailure end of the last {@code FAILED} execution, {@code null} when none is known
 * @param lastFinished the run whose outcome the group shows, {@code null} when none is known
 */
public record JobHistory(@Nullable Instant lastSuccess, @Nullable Instant lastFailure,
		@Nullable FinishedRun lastFinished) {

	/** A history with no finished run. */
	public static final JobHistory EMPTY = new JobHistory(null, null, null);

	/**
	 * Returns this history with one more finished run. The run ending last is shown, except that a
	 * {@code COMPLETED} run never hides a {@code FAILED} one it overlapped: only a run started
	 * after the failure ended can show that the job works again.
	 * @param run the finished run
	 * @return the updated history
	 */
	public JobHistory with(FinishedRun run) {
		Instant success = (run.completed() && isLater(run.end(), this.lastSuccess)) ? run.end() : this.lastSuccess;
		Instant failure = (run.failed() && isLater(run.end(), this.lastFailure)) ? run.end() : this.lastFailure;
		return new JobHistory(success, failure, shown(this.lastFinished, run));
	}

	/**
	 * Returns this history with a run this JVM ran, as {@link #with(FinishedRun)} does, except that
	 * it replaces a shown run with the same start and end: the job repository's copy of this very
	 * run, read by a push between Spring Batch's saving of its end and the starter's afterJob.
	 * That copy lacks what afterJob listeners changed (the exit code), and it is not the execution
	 * object contributors keep their metrics for.
	 * @param run the finished run of an execution this JVM ran
	 * @return the updated history
	 */
	public JobHistory withOwn(FinishedRun run) {
		JobHistory history = with(run);
		FinishedRun shown = this.lastFinished;
		if (shown != null && history.lastFinished == shown && shown.start().equals(run.start())
				&& shown.end().equals(run.end())) {
			return new JobHistory(history.lastSuccess, history.lastFailure, run);
		}
		return history;
	}

	private static FinishedRun shown(@Nullable FinishedRun current, FinishedRun run) {
		if (current == null) {
			return run;
		}
		if (!run.end().isAfter(current.end())) {
			// Equal ends keep the run in hand: the job repository's copy of a run this JVM just
			// recorded lacks what afterJob listeners changed (the exit code).
			return (current.completed() && run.failed() && run.end().isAfter(current.start())) ? run : current;
		}
		return (current.failed() && run.completed() && run.start().isBefore(current.end())) ? current : run;
	}

	/**
	 * Returns this history with the outcomes a target already holds; the newest of each wins.
	 * @param held what a target holds for the group
	 * @return the merged history
	 */
	public JobHistory with(GroupOutcomes held) {
		Instant success = (held.lastSuccess() != null && isLater(held.lastSuccess(), this.lastSuccess))
				? held.lastSuccess() : this.lastSuccess;
		Instant failure = (held.lastFailure() != null && isLater(held.lastFailure(), this.lastFailure))
				? held.lastFailure() : this.lastFailure;
		return new JobHistory(success, failure, this.lastFinished);
	}

	private static boolean isLater(Instant candidate, @Nullable Instant current) {
		return current == null || !candidate.isBefore(current);
	}

	/**
	 * One finished execution.
	 *
	 * @param start when it started
	 * @param end when it ended
	 * @param status its final status
	 * @param exitCode its exit code
	 * @param execution the execution, for its steps, {@code null} when not at hand
	 */
	public record FinishedRun(Instant start, Instant end, BatchStatus status, String exitCode,
			@Nullable JobExecution execution) {

		/**
		 * Returns the finished run of an execution.
		 * @param execution an execution
		 * @return its finished run, or {@code null} while it has not finished
		 */
		public static @Nullable FinishedRun of(JobExecution execution) {
			LocalDateTime end = execution.getEndTime();
			if (end == null || execution.getStatus().isRunning()) {
				return null;
			}
			// An execution that failed before its start was recorded (a parameters validator, a
			// stop before the first step) still ended: it counts from its creation.
			LocalDateTime start = (execution.getStartTime() != null) ? execution.getStartTime()
					: (execution.getCreateTime() != null) ? execution.getCreateTime() : end;
			return new FinishedRun(BatchTimes.toInstant(start), BatchTimes.toInstant(end), execution.getStatus(),
					execution.getExitStatus().getExitCode(), execution);
		}

		/**
		 * Returns whether the run ended {@code COMPLETED}.
		 * @return whether it succeeded
		 */
		public boolean completed() {
			return this.status == BatchStatus.COMPLETED;
		}

		/**
		 * Returns whether the run ended {@code FAILED}.
		 * @return whether it failed
		 */
		public boolean failed() {
			return this.status == BatchStatus.FAILED;
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
