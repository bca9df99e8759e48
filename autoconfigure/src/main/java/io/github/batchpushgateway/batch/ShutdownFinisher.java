package io.github.batchpushgateway.batch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.github.batchpushgateway.push.StateSender;
import io.github.batchpushgateway.push.PushGroup;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * Makes sure no execution stays "running" in the gateway once the application shuts down
 * (SIGTERM, a Kubernetes eviction, {@code systemctl stop}, or any close of the context). Within
 * the flush timeout: executions whose afterJob Spring Batch skipped are ended as their job
 * repository records them ({@link SkippedAfterJob}); running
 * executions are asked to stop ({@link GracefulStop}), so that the job repository agrees
 * (STOPPED, restartable), and given half the timeout to do so; those that did not reach their end
 * by then are saved as stopped ({@link GracefulStop#endAsStopped}) and pushed as the job
 * repository records them if it shows them ended, else as interrupted ({@code UNKNOWN}, exit code
 * {@code INTERRUPTED}), never COMPLETED. The rest of the timeout goes to delivering it all.
 *
 * <p>Run by the pipeline's {@link SmartLifecycle#stop()}, which comes before the application's
 * executors and data sources are stopped, while a stopping job can still save its state. It only
 * flushes: a stopped context may be started again (Spring's test framework pauses the contexts
 * a test class does not use); the pipeline's close, at the context's end, closes the sender.
 */
final class ShutdownFinisher {

	private static final Log logger = LogFactory.getLog(ShutdownFinisher.class);

	private static final Duration POLL = Duration.ofMillis(20);

	private final GroupRegistry groups;

	private final StateSender sender;

	private final JobEventRecorder recorder;

	private final @Nullable GracefulStop gracefulStop;

	private final RecordedExecutions records;

	private final SkippedAfterJob skippedAfterJob;

	private final Duration flushTimeout;

	private final Clock clock;

	ShutdownFinisher(GroupRegistry groups, StateSender sender, JobEventRecorder recorder,
			@Nullable GracefulStop gracefulStop, RecordedExecutions records, Duration flushTimeout, Clock clock) {
		Assert.notNull(groups, "'groups' must not be null");
		Assert.notNull(sender, "'sender' must not be null");
		Assert.notNull(recorder, "'recorder' must not be null");
		Assert.notNull(records, "'records' must not be null");
		Assert.notNull(flushTimeout, "'flushTimeout' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.groups = groups;
		this.sender = sender;
		this.recorder = recorder;
		this.gracefulStop = gracefulStop;
		this.records = records;
		this.skippedAfterJob = new SkippedAfterJob(records);
		this.flushTimeout = flushTimeout;
		this.clock = clock;
	}

	/** Ends every tracked execution and delivers the result within the flush timeout. */
	void finish() {
		long deadline = System.nanoTime() + this.flushTimeout.toNanos();
		Set<PushGroup> changed = new LinkedHashSet<>();
		List<TrackedExecution> running = endSkippedAfterJobs(changed);
		if (!running.isEmpty()) {
			stopGracefully(running, deadline - this.flushTimeout.toNanos() / 2);
			Instant now = this.clock.instant();
			for (TrackedExecution tracked : running) {
				if (!tracked.isOver()) {
					endAsStopped(tracked);
					JobExecution stored = this.records.of(tracked.execution);
					boolean asRecorded = tracked.conclude(stored, now);
					changed.add(tracked.group);
					if (!asRecorded) {
						logger.warn("Job '" + tracked.execution.getJobInstance().getJobName() + "' (execution "
								+ tracked.execution.getId() + ") was still running at shutdown; pushed as interrupted "
								+ "(status UNKNOWN, exit code INTERRUPTED). Its job repository still shows it running: "
								+ "mark it FAILED or ABANDONED before restarting it");
					}
				}
			}
		}
		changed.forEach(this.sender::request);
		long left = Math.max(0, deadline - System.nanoTime());
		if (running.isEmpty() && this.recorder.endWaitTimedOutRecently()) {
			// The job's end has just waited its whole budget for this target: the process is not
			// held up a second time; what stays undelivered is named in the sender's WARN.
			left = 0;
		}
		this.sender.flush(Duration.ofNanos(left));
	}

	private void endAsStopped(TrackedExecution tracked) {
		if (this.gracefulStop == null) {
			return;
		}
		try {
			// afterJob may have come since isOver: as a stop request, not once it recorded the end.
			tracked.ifNotEnded(this.gracefulStop::endAsStopped);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not save execution " + tracked.execution.getId() + " as stopped", ex);
		}
	}

	private List<TrackedExecution> endSkippedAfterJobs(Set<PushGroup> changed) {
		List<TrackedExecution> tracked = this.groups.trackedExecutions();
		tracked.removeIf((execution) -> {
			if (execution.endedWithoutAfterJob()) {
				this.skippedAfterJob.end(execution);
				changed.add(execution.group);
			}
			return execution.isOver();
		});
		return tracked;
	}

	private void stopGracefully(List<TrackedExecution> running, long until) {
		if (this.gracefulStop == null) {
			return;
		}
		logger.info("Stopping " + running.size() + " running job execution(s) at shutdown");
		for (TrackedExecution tracked : running) {
			try {
				// Not once the job's thread has recorded the end: see TrackedExecution.ifNotEnded.
				tracked.ifNotEnded(this.gracefulStop::request);
			}
			catch (Exception ex) {
				logger.debug("Could not stop execution " + tracked.execution.getId(), ex);
			}
		}
		while (System.nanoTime() < until && running.stream().anyMatch((tracked) -> !tracked.isOver())) {
			try {
				Thread.sleep(POLL.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

}
