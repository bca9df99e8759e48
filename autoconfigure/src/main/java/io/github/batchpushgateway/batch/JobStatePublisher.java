package io.github.batchpushgateway.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.github.batchpushgateway.metrics.JobHistory;
import io.github.batchpushgateway.metrics.JobMetricsSnapshotFactory;
import io.github.batchpushgateway.metrics.JobSchedule;
import io.github.batchpushgateway.push.Delivery;
import io.github.batchpushgateway.push.LatestSnapshotPusher;
import io.github.batchpushgateway.push.PushGroup;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.util.Assert;

/**
 * Publishes a job's state at each lifecycle event: builds the group's full snapshot and hands it
 * to the pusher. Only the job's end waits, for at most the flush timeout, so that a process that
 * exits right after its job still delivers the outcome. Events of one execution are published one
 * at a time, in order, whichever thread (job, step, progress) reports them.
 */
public final class JobStatePublisher {

	private static final Log logger = LogFactory.getLog(JobStatePublisher.class);

	private final PushGroupResolver groups;

	private final JobHistoryTracker histories;

	private final JobMetricsSnapshotFactory snapshots;

	private final Function<String, JobSchedule> schedules;

	private final LatestSnapshotPusher pusher;

	private final Duration flushTimeout;

	/**
	 * Running executions by identity: ids are not unique everywhere (the resourceless job
	 * repository gives every execution the same id). Guarded by itself.
	 */
	private final Map<JobExecution, RunningJob> running = new IdentityHashMap<>();

	/**
	 * Creates a publisher.
	 * @param groups finds an execution's group
	 * @param histories knows each group's earlier runs
	 * @param snapshots builds the metrics
	 * @param schedules gives each job's configured intervals, by job name
	 * @param pusher sends the snapshots
	 * @param flushTimeout how long a job's end waits for its final push
	 */
	public JobStatePublisher(PushGroupResolver groups, JobHistoryTracker histories, JobMetricsSnapshotFactory snapshots,
			Function<String, JobSchedule> schedules, LatestSnapshotPusher pusher, Duration flushTimeout) {
		Assert.notNull(groups, "'groups' must not be null");
		Assert.notNull(histories, "'histories' must not be null");
		Assert.notNull(snapshots, "'snapshots' must not be null");
		Assert.notNull(schedules, "'schedules' must not be null");
		Assert.notNull(pusher, "'pusher' must not be null");
		Assert.notNull(flushTimeout, "'flushTimeout' must not be null");
		this.groups = groups;
		this.histories = histories;
		this.snapshots = snapshots;
		this.schedules = schedules;
		this.pusher = pusher;
		this.flushTimeout = flushTimeout;
	}

	/**
	 * A job execution started.
	 * @param execution the execution
	 */
	public void jobStarted(JobExecution execution) {
		track(execution).publish();
	}

	/**
	 * A step of a running job ended.
	 * @param step the step execution
	 */
	public void stepEnded(StepExecution step) {
		RunningJob job;
		synchronized (this.running) {
			job = this.running.get(step.getJobExecution());
		}
		if (job != null) {
			job.publish();
		}
	}

	/**
	 * Publishes the state of every running job whose steps have advanced since its last push.
	 * Called periodically; a job that makes no progress stays silent, which is how a hung job
	 * shows.
	 */
	public void publishProgress() {
		List<RunningJob> jobs;
		synchronized (this.running) {
			jobs = new ArrayList<>(this.running.values());
		}
		for (RunningJob job : jobs) {
			if (job.execution.getEndTime() != null && !job.execution.isRunning()) {
				// Spring Batch skips afterJob when saving the execution's end fails: finish it here,
				// or the job would show as running for ever. Seen ended at one look, it is given
				// until the next one for afterJob to run.
				if (job.seenEnded) {
					untrack(job.execution);
					job.finish();
				}
				job.seenEnded = true;
			}
			else {
				job.publishIfAdvanced();
			}
		}
	}

	/**
	 * A job execution ended: publishes its final state and waits for the delivery, at most for
	 * the flush timeout.
	 * @param execution the execution, with its final status
	 * @return whether the final state reached the gateway in time
	 */
	public boolean jobEnded(JobExecution execution) {
		RunningJob job = untrack(execution);
		if (job == null) {
			job = new RunningJob(execution, this.groups.resolve(execution));
		}
		Delivery delivery = job.finish();
		if (delivery == null) {
			return false;
		}
		boolean delivered = delivery.await(this.flushTimeout);
		if (!delivered && logger.isDebugEnabled()) {
			logger.debug("Final state of job '" + execution.getJobInstance().getJobName() + "' not delivered within "
					+ this.flushTimeout + "; it stays queued");
		}
		return delivered;
	}

	/**
	 * Returns how many executions are being tracked as running.
	 * @return the number of running executions
	 */
	public int runningCount() {
		synchronized (this.running) {
			return this.running.size();
		}
	}

	private RunningJob track(JobExecution execution) {
		RunningJob job = new RunningJob(execution, this.groups.resolve(execution));
		synchronized (this.running) {
			this.running.put(execution, job);
		}
		return job;
	}

	private @Nullable RunningJob untrack(JobExecution execution) {
		synchronized (this.running) {
			return this.running.remove(execution);
		}
	}

	/** One running execution; its monitor orders its publications. */
	private final class RunningJob {

		private final JobExecution execution;

		private final PushGroup group;

		private final JobSchedule schedule;

		private long publishedProgress = -1;

		private boolean finished;

		/** Whether the progress thread has already seen this execution ended. Its field alone. */
		private boolean seenEnded;

		RunningJob(JobExecution execution, PushGroup group) {
			this.execution = execution;
			this.group = group;
			this.schedule = JobStatePublisher.this.schedules.apply(execution.getJobInstance().getJobName());
		}

		synchronized @Nullable Delivery publish() {
			return (this.finished) ? null : offer(false);
		}

		synchronized void publishIfAdvanced() {
			if (!this.finished && progress() != this.publishedProgress) {
				publish();
			}
		}

		synchronized @Nullable Delivery finish() {
			if (this.finished) {
				return null;
			}
			this.finished = true;
			return offer(true);
		}

		private @Nullable Delivery offer(boolean last) {
			try {
				JobHistoryTracker histories = JobStatePublisher.this.histories;
				JobHistory history = (last) ? histories.recordFinished(this.group, this.execution)
						: histories.historyOf(this.group, this.execution);
				this.publishedProgress = progress();
				return JobStatePublisher.this.pusher.offer(this.group,
						JobStatePublisher.this.snapshots.create(this.execution, history, this.schedule));
			}
			catch (RuntimeException ex) {
				// Publishing must never fail the job it reports on.
				logger.warn("Could not build the state of job '" + this.group.job() + "' ("
						+ ex.getClass().getName() + ")", ex);
				return null;
			}
		}

		/** A number that changes whenever a step starts or any of its counts move. */
		private long progress() {
			long progress = 0;
			for (StepExecution step : this.execution.getStepExecutions()) {
				progress = 31 * progress + step.getId();
				progress = 31 * progress + step.getReadCount() + step.getWriteCount() + step.getFilterCount()
						+ step.getSkipCount() + step.getCommitCount() + step.getRollbackCount();
			}
			return progress;
		}

	}

}
