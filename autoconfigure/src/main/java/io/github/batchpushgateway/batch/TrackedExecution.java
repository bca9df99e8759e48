package io.github.batchpushgateway.batch;

import java.time.Instant;

import io.github.batchpushgateway.metrics.BatchTimes;
import io.github.batchpushgateway.metrics.JobHistory.FinishedRun;
import io.github.batchpushgateway.push.PushGroup;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

/**
 * One execution this JVM runs, from its start until the sending side has taken in its end. The
 * job's thread only sets flags here; everything else is read and written on the sending side.
 */
final class TrackedExecution {

	/** Exit code of an execution still running when the application shut down. */
	static final String INTERRUPTED = "INTERRUPTED";

	final JobExecution execution;

	final PushGroup group;

	/** Set by the job's thread at afterJob, or by the fallbacks when afterJob never comes. */
	private volatile boolean ended;

	/** When shutdown gave up waiting for the execution, {@code null} otherwise. */
	private volatile @Nullable Instant interruptedAt;

	/** Whether the heartbeat already saw the execution ended without afterJob. Heartbeat's alone. */
	boolean seenEndedWithoutAfterJob;

	/** Fingerprint of the steps' counts at the last look. Sending side's alone. */
	long progressFingerprint = Long.MIN_VALUE;

	TrackedExecution(JobExecution execution, PushGroup group) {
		this.execution = execution;
		this.group = group;
	}

	void end() {
		this.ended = true;
	}

	void interrupt(Instant at) {
		this.interruptedAt = at;
	}

	/** Whether the execution ended, or was given up at shutdown. */
	boolean isOver() {
		return this.ended || this.interruptedAt != null;
	}

	/** Whether Spring Batch finished the execution but has not (yet) called afterJob. */
	boolean endedWithoutAfterJob() {
		return !this.ended && this.execution.getEndTime() != null && !this.execution.getStatus().isRunning();
	}

	/** The run to add to the history once the execution is over, {@code null} if it has none. */
	@Nullable FinishedRun finishedRun() {
		Instant interrupted = this.interruptedAt;
		if (interrupted != null && this.execution.getStatus().isRunning()) {
			Instant start = (this.execution.getStartTime() != null) ? BatchTimes.toInstant(this.execution.getStartTime())
					: interrupted;
			return new FinishedRun(start, interrupted, BatchStatus.UNKNOWN, INTERRUPTED, this.execution);
		}
		return FinishedRun.of(this.execution);
	}

	/** A number that changes whenever a step starts, ends or moves any of its counts. */
	long progress() {
		long progress = 17;
		for (StepExecution step : this.execution.getStepExecutions()) {
			progress = 31 * progress + step.getId();
			progress = 31 * progress + step.getStatus().ordinal();
			progress = 31 * progress + step.getReadCount() + step.getWriteCount() + step.getFilterCount()
					+ step.getSkipCount() + step.getCommitCount() + step.getRollbackCount();
		}
		return progress;
	}

}
