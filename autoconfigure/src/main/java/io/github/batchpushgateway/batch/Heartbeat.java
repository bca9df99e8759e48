package io.github.batchpushgateway.batch;

import io.github.batchpushgateway.push.StateSender;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.util.Assert;

/**
 * Runs every progress interval: refreshes every group with a running execution, whether its counts
 * moved or not, so that the gateway's {@code push_time_seconds} stays fresh while the
 * process lives and a healthy long step can be told from a dead process. Also ends the executions
 * whose afterJob Spring Batch skipped (it does when saving the execution's end fails), and pushes
 * a group whose last execution ended with partitions still running in other JVMs, so that their
 * ends reach the gateway.
 */
final class Heartbeat implements Runnable {

	private static final Log logger = LogFactory.getLog(Heartbeat.class);

	private final GroupStates groups;

	private final StateSender sender;

	private final SkippedAfterJob skippedAfterJob;

	Heartbeat(GroupStates groups, StateSender sender) {
		Assert.notNull(groups, "'groups' must not be null");
		Assert.notNull(sender, "'sender' must not be null");
		this.groups = groups;
		this.sender = sender;
		this.skippedAfterJob = new SkippedAfterJob(groups.repository());
	}

	@Override
	public void run() {
		try {
			for (GroupState state : this.groups.all()) {
				if (!state.hasExecutions()) {
					if (state.awaitsStepsRunElsewhere()) {
						this.sender.refresh(state.group);
					}
					continue;
				}
				for (TrackedExecution tracked : state.executions()) {
					if (tracked.endedWithoutAfterJob()) {
						this.skippedAfterJob.look(tracked);
					}
				}
				this.groups.takeInEnded(state);
				this.sender.refresh(state.group);
			}
		}
		catch (RuntimeException ex) {
			// An exception would cancel the schedule: log it and keep going.
			logger.warn("Heartbeat failed", ex);
		}
	}

}
