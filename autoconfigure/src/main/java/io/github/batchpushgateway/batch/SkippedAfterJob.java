package io.github.batchpushgateway.batch;

import io.github.batchpushgateway.metrics.JobHistory.FinishedRun;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.util.Assert;

/**
 * Ends executions whose afterJob Spring Batch skipped, for the heartbeat and for shutdown. Spring
 * Batch saves a job's end before it calls the afterJob listeners, and skips them when that save
 * fails (or when a listener before ours throws): the execution has an end in memory, and the
 * starter's listener is never told. Such an execution is ended as its job repository records it:
 * with its end where the repository shows it, otherwise as {@code UNKNOWN} (see
 * {@link TrackedExecution#endWithoutAfterJob}), with a WARN, never as an outcome nobody recorded.
 */
final class SkippedAfterJob {

	private static final Log logger = LogFactory.getLog(SkippedAfterJob.class);

	/** Looks a heartbeat gives an execution that ended without afterJob before it ends it. */
	static final int PATIENCE = 6;

	private final JobRepositoryReads records;

	SkippedAfterJob(JobRepositoryReads records) {
		Assert.notNull(records, "'records' must not be null");
		this.records = records;
	}

	/**
	 * One heartbeat's look at an execution that ended without afterJob so far: ends it when afterJob
	 * will not come. It is given {@value #PATIENCE} looks whatever the repository shows: slow
	 * afterJob listeners, or a save of the end that waits for a database connection, may take that
	 * long, and a save that lands is followed by afterJob. Then it is ended as the repository
	 * records it.
	 * @param tracked an execution for which {@link TrackedExecution#endedWithoutAfterJob} holds
	 * @return whether it was ended
	 */
	boolean look(TrackedExecution tracked) {
		if (++tracked.seenEndedWithoutAfterJob < PATIENCE) {
			return false;
		}
		end(tracked);
		return true;
	}

	/**
	 * Ends an execution that ended without afterJob now, as its job repository records it.
	 * @param tracked an execution for which {@link TrackedExecution#endedWithoutAfterJob} holds
	 */
	void end(TrackedExecution tracked) {
		if (!this.records.available()) {
			// Nothing to check against: the execution's own end is all there is.
			tracked.end();
			return;
		}
		JobExecution stored;
		String why;
		try {
			stored = this.records.of(tracked.execution);
			why = "its job repository does not show that end (Spring Batch skips afterJob when it cannot save it)";
		}
		catch (RuntimeException ex) {
			stored = null;
			why = "its job repository could not be read to confirm that end (" + ex.getClass().getName() + ")";
		}
		if (!tracked.endWithoutAfterJob(stored)) {
			JobExecution execution = tracked.execution;
			FinishedRun run = tracked.finishedRun();
			logger.warn("Job '" + execution.getJobInstance().getJobName() + "' (execution " + execution.getId()
					+ ") ended " + execution.getStatus() + " but " + why + "; pushed as " + run.status()
					+ " (exit code " + run.exitCode() + "). If the repository still shows it running, mark it "
					+ "FAILED or ABANDONED before restarting it");
		}
	}

}
