package io.github.batchpushgateway.batch;

import io.github.batchpushgateway.push.StateSender;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
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

	private final JobStateAssembler assembler;

	private final SkippedAfterJob skippedAfterJob;

	Heartbeat(GroupRegistry groups, StateSender sender, JobStateAssembler assembler, RecordedExecutions records) {
		Assert.notNull(groups, "'groups' must not be null");
		Assert.notNull(sender, "'sender' must not be null");
		Assert.notNull(assembler, "'assembler' must not be null");
		this.groups = groups;
		this.sender = sender;
		this.assembler = assembler;
		this.skippedAfterJob = new SkippedAfterJob(records);
	}

	@Override
	public void run() {
		try {
			for (GroupRecord record : this.groups.all()) {
				if (!record.hasExecutions()) {
					continue;
				}
				for (TrackedExecution tracked : record.executions()) {
					if (tracked.endedWithoutAfterJob()) {
						this.skippedAfterJob.look(tracked);
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
