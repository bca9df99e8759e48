package io.github.batchpushgateway.batch;

import io.github.batchpushgateway.metrics.JobHistory.FinishedRun;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
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

	/** Looks a heartbeat gives an execution the repository shows ended: slow afterJob listeners. */
	static final int PATIENCE = 6;

	private final RecordedExecutions records;

	SkippedAfterJob(RecordedExecutions records) {
		Assert.notNull(records, "'records' must not be null");
		this.records = records;
	}

	/**
	 * One heartbeat's look at an execution that ended without afterJob so far: ends it when afterJob
	 * will not come. Seen ended twice while the repository does not show that end, it lost its
	 * afterJob; one the repository shows ended may only have slow listeners, and is given
	 * {@value #PATIENCE} looks.
	 * @param tracked an execution for which {@link TrackedExecution#endedWithoutAfterJob} holds
	 * @return whether it was ended
	 */
	boolean look(TrackedExecution tracked) {
		int looks = ++tracked.seenEndedWithoutAfterJob;
		if (looks < 2) {
			return false;
		}
		JobExecution stored = this.records.of(tracked.execution);
		// Read as the execution in hand is: the resourceless repository returns that very object,
		// which a late stop request may leave STOPPING with its end time.
		boolean endRecorded = stored != null && !FinishedRun.statusOf(stored).isRunning();
		if (endRecorded && looks < PATIENCE) {
			return false;
		}
		end(tracked, stored);
		return true;
	}

	/**
	 * Ends an execution that ended without afterJob now, as shutdown does.
	 * @param tracked an execution for which {@link TrackedExecution#endedWithoutAfterJob} holds
	 */
	void end(TrackedExecution tracked) {
		end(tracked, this.records.of(tracked.execution));
	}

	private void end(TrackedExecution tracked, @Nullable JobExecution stored) {
		if (!this.records.available()) {
			// Nothing to check against: the execution's own end is all there is.
			tracked.end();
			return;
		}
		if (!tracked.endWithoutAfterJob(stored)) {
			JobExecution execution = tracked.execution;
			logger.warn("Job '" + execution.getJobInstance().getJobName() + "' (execution " + execution.getId()
					+ ") ended " + execution.getStatus() + " but its job repository does not show that end (Spring "
					+ "Batch skips afterJob when it cannot save it); pushed as UNKNOWN (exit code UNKNOWN). "
					+ "If the repository still shows it running, mark it FAILED or ABANDONED before restarting it");
		}
	}

}
