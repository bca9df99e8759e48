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
 * <p>Internal; not an extension point: public only for the starter's other packages, and may
 * change in any release.
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
	 * Returns this history with one more finished run, a copy read from the job repository. The
	 * run ending last is shown, except that a {@code COMPLETED} run never hides a {@code FAILED}
	 * one it overlapped: only a run started after the failure ended can show that the job works
	 * again. A copy ending at the same instant as the shown run does not replace it: it is the
	 * repository's copy of a run this JVM has at hand.
	 * @param run the finished run
	 * @return the updated history
	 */
	public JobHistory with(FinishedRun run) {
		return with(run, false);
	}

	/**
	 * Returns this history with one more finished run that this JVM ran and has at hand. As
	 * {@link #with(FinishedRun)}, except that it replaces a shown copy of itself: Spring Batch
	 * saves a job's end before it calls the afterJob listeners, so a refresh from the repository
	 * can take the run in first, without what those listeners changed (the exit code) and as
	 * another object than the execution contributors keep their metrics for.
	 * @param run the finished run
	 * @return the updated history
	 */
	public JobHistory withRunInHand(FinishedRun run) {
		return with(run, true);
	}

	private JobHistory with(FinishedRun run, boolean inHand) {
		Instant success = (run.completed() && isLater(run.end(), this.lastSuccess)) ? run.end() : this.lastSuccess;
		Instant failure = (run.failed() && isLater(run.end(), this.lastFailure)) ? run.end() : this.lastFailure;
		return new JobHistory(success, failure, shown(this.lastFinished, run, inHand));
	}

	private static FinishedRun shown(@Nullable FinishedRun current, FinishedRun run, boolean inHand) {
		if (current == null) {
			return run;
		}
		if (run.isCopyOf(current)) {
			// One execution: the copy in hand wins whatever the times, which a repository may
			// have rounded (to the millisecond, the second, or SQL Server's 1/300 s). So does any
			// recorded outcome over UNKNOWN, which says only that its end was not known when it
			// was concluded (Spring Batch never saves a job UNKNOWN).
			return (inHand || current.status() == BatchStatus.UNKNOWN) ? run : current;
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
		 * Returns the finished run of an execution, with its status as {@link #statusOf} reads it.
		 * @param execution an execution
		 * @return its finished run, or {@code null} while it has not finished
		 */
		public static @Nullable FinishedRun of(JobExecution execution) {
			LocalDateTime end = execution.getEndTime();
			BatchStatus status = statusOf(execution);
			if (end == null || status.isRunning()) {
				return null;
			}
			// An execution that failed before its start was recorded (a parameters validator, a
			// stop before the first step) still ended: it counts from its creation.
			LocalDateTime start = (execution.getStartTime() != null) ? execution.getStartTime()
					: (execution.getCreateTime() != null) ? execution.getCreateTime() : end;
			return new FinishedRun(BatchTimes.toInstant(start), BatchTimes.toInstant(end), status,
					execution.getExitStatus().getExitCode(), execution);
		}

		/**
		 * Returns an execution's status as its job repository keeps it: {@code STOPPED} for one
		 * that is {@code STOPPING} with an end time. A stop request that lands while the job's
		 * thread is ending the execution leaves it so in memory (the resourceless repository keeps
		 * it so for good); Spring Batch's repository saves it as {@code STOPPED} at its next
		 * update. Read as running, such an execution would never become a finished run.
		 * @param execution an execution
		 * @return its status, {@code STOPPED} where Spring Batch will save that
		 */
		public static BatchStatus statusOf(JobExecution execution) {
			BatchStatus status = execution.getStatus();
			return (status == BatchStatus.STOPPING && execution.getEndTime() != null) ? BatchStatus.STOPPED : status;
		}

		/**
		 * Returns whether this run and the other are the same execution: where both have their
		 * execution at hand, the same execution and instance ids and starts within a second of
		 * each other (a repository may round times); else the same start and end.
		 * @param other another run
		 * @return whether they describe one execution
		 */
		boolean isCopyOf(FinishedRun other) {
			if (this.execution == null || other.execution == null) {
				return this.start.equals(other.start) && this.end.equals(other.end);
			}
			// Ids alone do not tell: the resourceless repository gives every execution the same.
			return this.execution.getId() == other.execution.getId()
					&& this.execution.getJobInstance().getInstanceId() == other.execution.getJobInstance().getInstanceId()
					&& Duration.between(this.start, other.start).abs().compareTo(Duration.ofSeconds(1)) < 0;
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
