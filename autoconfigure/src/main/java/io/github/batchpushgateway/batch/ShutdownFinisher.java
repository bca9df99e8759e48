package io.github.batchpushgateway.batch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
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
 * the flush timeout: executions whose afterJob Spring Batch skipped are given a moment for it (their
 * thread may be saving the end), then ended as their job repository records them
 * ({@link SkippedAfterJob}); running executions are asked to stop ({@link GracefulStop}), so that the job repository agrees
 * (STOPPED, restartable), and given half the timeout to do so; those that did not reach their end
 * by then are saved as stopped ({@link GracefulStop#endAsStopped}) and pushed as the job
 * repository records them if it shows them ended, else as interrupted ({@code UNKNOWN}, exit code
 * {@code INTERRUPTED}), never COMPLETED. The rest of the timeout goes to delivering it all; after a
 * job's end that waited for delivery in vain, only what that wait left of its own timeout.
 *
 * <p>Run by the pipeline's {@link SmartLifecycle#stop()}, which comes before the application's
 * executors and data sources are stopped, while a stopping job can still save its state. It only
 * flushes: a stopped context may be started again (Spring's test framework pauses the contexts
 * a test class does not use); the pipeline's close, at the context's end, closes the sender.
 */
final class ShutdownFinisher {

	private static final Log logger = LogFactory.getLog(ShutdownFinisher.class);

	private static final Duration POLL = Duration.ofMillis(20);

	/**
	 * How long an execution that ended without afterJob is waited for when nothing runs: the save
	 * of its end may be under way on its thread.
	 */
	private static final Duration AFTER_JOB_GRACE = Duration.ofSeconds(1);

	private final GroupStates groups;

	private final StateSender sender;

	private final JobEventRecorder recorder;

	private final @Nullable GracefulStop gracefulStop;

	private final JobRepositoryReads records;

	private final SkippedAfterJob skippedAfterJob;

	private final Duration flushTimeout;

	private final Clock clock;

	ShutdownFinisher(GroupStates groups, StateSender sender, JobEventRecorder recorder,
			@Nullable GracefulStop gracefulStop, JobRepositoryReads records, Duration flushTimeout, Clock clock) {
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
		long start = System.nanoTime();
		long deadline = start + this.flushTimeout.toNanos();
		long half = deadline - this.flushTimeout.toNanos() / 2;
		List<TrackedExecution> pending = this.groups.trackedExecutions();
		// Loops rather than lambdas here: a JVM that ran one short job shuts down cold, and each
		// lambda spins a class at its first use (see GroupSender.Attempt).
		List<TrackedExecution> running = new ArrayList<>();
		for (Iterator<TrackedExecution> each = pending.iterator(); each.hasNext();) {
			TrackedExecution tracked = each.next();
			if (tracked.isOver()) {
				each.remove();
			}
			else if (!tracked.endedWithoutAfterJob()) {
				running.add(tracked);
			}
		}
		requestStops(running);
		// Ended without afterJob so far: its thread may be saving the end right now, and afterJob
		// follows a save that lands. Waited for briefly when nothing else is.
		awaitEnds(pending, running.isEmpty() ? Math.min(half, start + AFTER_JOB_GRACE.toNanos()) : half);
		Set<PushGroup> changed = new LinkedHashSet<>();
		Instant now = this.clock.instant();
		for (TrackedExecution tracked : pending) {
			// Pushed whatever ended it meanwhile: the heartbeat may have concluded it on the
			// sending side while this waited, and asks for its push only after this flush has
			// looked (a push built now takes the conclusion in, see GroupState).
			changed.add(tracked.group);
			if (tracked.isOver()) {
				continue;
			}
			if (tracked.endedWithoutAfterJob()) {
				this.skippedAfterJob.end(tracked);
				continue;
			}
			endAsStopped(tracked);
			boolean asRecorded = tracked.conclude(this.records.ofIfReadable(tracked.execution), now);
			if (!asRecorded) {
				logger.warn("Job '" + tracked.execution.getJobInstance().getJobName() + "' (execution "
						+ tracked.execution.getId() + ") was still running at shutdown; pushed as interrupted "
						+ "(status UNKNOWN, exit code INTERRUPTED). Its job repository still shows it running: "
						+ "mark it FAILED or ABANDONED before restarting it");
			}
		}
		for (PushGroup group : changed) {
			this.sender.request(group);
		}
		long left = Math.max(0, deadline - System.nanoTime());
		if (running.isEmpty()) {
			// A job's end that has just waited for this target in vain: the process is not held up
			// beyond that wait's own budget; what stays undelivered is named in the sender's WARN.
			left = Math.min(left, this.recorder.budgetLeftAfterUndeliveredEnd().toNanos());
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

	private void requestStops(List<TrackedExecution> running) {
		if (this.gracefulStop == null || running.isEmpty()) {
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
	}

	private static boolean anyToAwait(List<TrackedExecution> executions, boolean waitForStops) {
		for (TrackedExecution tracked : executions) {
			if (!tracked.isOver() && (waitForStops || tracked.endedWithoutAfterJob())) {
				return true;
			}
		}
		return false;
	}

	/** Waits until every given execution is over, or until the given time. */
	private void awaitEnds(List<TrackedExecution> executions, long until) {
		boolean waitForStops = this.gracefulStop != null;
		while (System.nanoTime() < until && anyToAwait(executions, waitForStops)) {
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
