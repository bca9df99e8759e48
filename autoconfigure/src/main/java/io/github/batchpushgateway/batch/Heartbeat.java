package io.github.batchpushgateway.batch;

import io.github.batchpushgateway.metrics.JobHistory.FinishedRun;
import io.github.batchpushgateway.push.StateSender;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.util.Assert;

/**
 * Runs every progress interval: refreshes every group with a running execution, whether its counts
 * moved or not, so that the gateway's {@code push_time_seconds} stays fresh while the
 * process lives and a healthy long step can be told from a dead process. Also ends the executions
 * whose afterJob Spring Batch skipped (it does when saving the execution's end fails).
 */
final class Heartbeat implements Runnable {

	private static final Log logger = LogFactory.getLog(Heartbeat.class);

	private final GroupRegistry groups;

	private final StateSender sender;

	private static final int PATIENCE = 6;

	private final JobStateAssembler assembler;

	private final @Nullable JobRepository repository;

	Heartbeat(GroupRegistry groups, StateSender sender, JobStateAssembler assembler,
			@Nullable JobRepository repository) {
		Assert.notNull(groups, "'groups' must not be null");
		Assert.notNull(sender, "'sender' must not be null");
		Assert.notNull(assembler, "'assembler' must not be null");
		this.groups = groups;
		this.sender = sender;
		this.assembler = assembler;
		this.repository = repository;
	}

	/**
	 * Spring Batch saves an execution's end before it calls afterJob, and skips afterJob when the
	 * save fails. So an execution seen ended twice while the repository still shows it running lost
	 * its afterJob; one the repository shows ended may only have slow listeners, and is given
	 * {@value #PATIENCE} looks (a listener that threw before ours also skips it).
	 */
	private boolean afterJobWillNotCome(TrackedExecution tracked) {
		int looks = ++tracked.seenEndedWithoutAfterJob;
		if (looks >= PATIENCE) {
			return true;
		}
		if (looks < 2) {
			return false;
		}
		if (this.repository == null) {
			return true;
		}
		try {
			JobExecution stored = this.repository.getJobExecution(tracked.execution.getId());
			// Read as the execution in hand is: the resourceless repository returns that very
			// object, which a late stop request may leave STOPPING with its end time.
			return stored == null || FinishedRun.statusOf(stored).isRunning();
		}
		catch (RuntimeException ex) {
			return true;
		}
	}

	@Override
	public void run() {
		try {
			for (GroupRecord record : this.groups.all()) {
				if (!record.hasExecutions()) {
					continue;
				}
				for (TrackedExecution tracked : record.executions()) {
					if (tracked.endedWithoutAfterJob() && afterJobWillNotCome(tracked)) {
						tracked.end();
					}
				}
				this.assembler.takeInEnded(record);
				this.sender.refresh(record.group);
			}
		}
		catch (RuntimeException ex) {
			// An exception would cancel the schedule: log it and keep going.
			logger.warn("Heartbeat failed", ex);
		}
	}

}
