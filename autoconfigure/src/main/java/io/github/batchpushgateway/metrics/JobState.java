package io.github.batchpushgateway.metrics;

import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.JobExecution;

/**
 * Everything a group's push shows, gathered on the sending side just before the push.
 *
 * <p>Internal; not an extension point: public only for the starter's other packages, and may
 * change in any release.
 *
 * @param running how many executions of the group run now, in this JVM and, with a shared job
 * repository, in others
 * @param current the most recently started running execution, {@code null} when none runs; the
 * status, exit code and steps describe it while it runs, and the history's shown run after
 * @param history the group's finished runs and outcomes
 * @param lastProgress when an execution of the group last made progress, {@code null} when unknown
 * @param schedule the job's configured intervals
 * @param steps the shown execution's steps, with those run in other JVMs as the job repository
 * held them, {@code null} to show the steps as this JVM holds them
 */
public record JobState(int running, @Nullable JobExecution current, JobHistory history,
		@Nullable Instant lastProgress, JobSchedule schedule, @Nullable ExecutionSteps steps) {

	/**
	 * Creates a state whose steps all run in this JVM.
	 * @param running how many executions of the group run now
	 * @param current the most recently started running execution, {@code null} when none runs
	 * @param history the group's finished runs and outcomes
	 * @param lastProgress when an execution of the group last made progress
	 * @param schedule the job's configured intervals
	 */
	public JobState(int running, @Nullable JobExecution current, JobHistory history, @Nullable Instant lastProgress,
			JobSchedule schedule) {
		this(running, current, history, lastProgress, schedule, null);
	}

	/**
	 * Returns the execution the group's status, exit code and steps describe.
	 * @return the running or last shown execution, {@code null} when none is at hand
	 */
	public @Nullable JobExecution shownExecution() {
		if (this.current != null) {
			return this.current;
		}
		JobHistory.FinishedRun finished = this.history.lastFinished();
		return (finished != null) ? finished.execution() : null;
	}

}
