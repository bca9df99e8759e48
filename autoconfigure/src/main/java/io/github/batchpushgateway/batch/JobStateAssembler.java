package io.github.batchpushgateway.batch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.github.batchpushgateway.metrics.BatchTimes;
import io.github.batchpushgateway.metrics.JobHistory;
import io.github.batchpushgateway.metrics.JobHistory.FinishedRun;
import io.github.batchpushgateway.metrics.JobMetricsSnapshotFactory;
import io.github.batchpushgateway.metrics.JobSchedule;
import io.github.batchpushgateway.metrics.JobState;
import io.github.batchpushgateway.push.GroupOutcomes;
import io.github.batchpushgateway.push.GroupStateSource;
import io.github.batchpushgateway.push.PushGroup;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.util.Assert;

/**
 * Gathers a group's state on the sending side, just before each push: takes in the executions
 * that ended, notes progress, counts the running executions (with a shared job repository, those
 * of other JVMs too), and has the snapshot factory, contributors included, build the metrics.
 */
final class JobStateAssembler implements GroupStateSource {

	private static final Log logger = LogFactory.getLog(JobStateAssembler.class);

	private static final Duration MIN_SILENCE = Duration.ofMinutes(1);

	private final GroupRegistry groups;

	private final JobHistoryTracker histories;

	private final @Nullable JobRepository repository;

	private final JobMetricsSnapshotFactory snapshots;

	private final Function<String, JobSchedule> schedules;

	private final Clock clock;

	JobStateAssembler(GroupRegistry groups, JobHistoryTracker histories, @Nullable JobRepository repository,
			JobMetricsSnapshotFactory snapshots, Function<String, JobSchedule> schedules,
			Clock clock) {
		Assert.notNull(groups, "'groups' must not be null");
		Assert.notNull(histories, "'histories' must not be null");
		Assert.notNull(snapshots, "'snapshots' must not be null");
		Assert.notNull(schedules, "'schedules' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.groups = groups;
		this.histories = histories;
		this.repository = repository;
		this.snapshots = snapshots;
		this.schedules = schedules;
		this.clock = clock;
	}

	@Override
	public void absorb(PushGroup group, GroupOutcomes held) {
		GroupRecord record = this.groups.get(group);
		if (record != null) {
			this.histories.absorb(group, record.jobName, held);
		}
	}

	@Override
	public synchronized @Nullable MetricSnapshots snapshot(PushGroup group) {
		GroupRecord record = this.groups.get(group);
		if (record == null) {
			return null;
		}
		Instant now = this.clock.instant();
		takeInEnded(record, now);
		JobSchedule schedule = this.schedules.apply(record.jobName);
		JobHistory history = refreshedHistory(record, now, schedule);
		List<JobExecution> running = new ArrayList<>();
		for (TrackedExecution tracked : record.executions()) {
			running.add(tracked.execution);
			progressed(record, tracked, now);
		}
		List<JobExecution> elsewhere = runningElsewhere(record, running, now, schedule);
		// Status, exit code and steps describe this JVM's newest running execution: of the others
		// the repository tells only that they run, and pushes of their own JVMs show the rest.
		JobExecution current = newest(running);
		int count = running.size() + elsewhere.size();
		JobState state = new JobState(count, current, history, record.lastProgress, schedule);
		return this.snapshots.create(state);
	}

	/**
	 * The group's history, with the repository's newest runs merged in at most once per progress
	 * interval: runs other JVMs sharing the repository ended get in within an interval, while a
	 * job's own end does not wait for a reading of the repository it has just written.
	 */
	private JobHistory refreshedHistory(GroupRecord record, Instant now, JobSchedule schedule) {
		Instant last = record.lastRefresh;
		if (last != null && now.isBefore(last.plus(schedule.progressInterval()))) {
			return this.histories.historyOf(record.group, record.jobName);
		}
		record.lastRefresh = now;
		List<TrackedExecution> inHand = record.executions();
		return this.histories.refresh(record.group, record.jobName,
				(execution) -> inHand.stream().anyMatch((tracked) -> tracked.execution.getId() == execution.getId()));
	}

	/**
	 * Moves the group's ended executions into its history and lets go of them. Also run by the
	 * heartbeat, so that ended executions are not held while the target cannot be reached.
	 */
	synchronized void takeInEnded(GroupRecord record) {
		takeInEnded(record, this.clock.instant());
	}

	private void takeInEnded(GroupRecord record, Instant now) {
		for (TrackedExecution tracked : record.executions()) {
			if (tracked.isOver()) {
				progressed(record, tracked, now);
				FinishedRun run = tracked.take();
				if (run != null) {
					this.histories.recordFinished(record.group, record.jobName, run);
				}
				this.groups.taken(record, tracked);
				// Its end is in the history: what contributors keep for it can go.
				this.snapshots.executionEnded(tracked.execution);
			}
		}
	}

	private static void progressed(GroupRecord record, TrackedExecution tracked, Instant now) {
		long progress = tracked.progress();
		if (progress != tracked.progressFingerprint) {
			tracked.progressFingerprint = progress;
			record.lastProgress = now;
		}
	}

	/**
	 * Executions the job repository lists as running in this group that this JVM does not run
	 * and that the repository saw alive recently: other JVMs sharing the repository. An execution
	 * whose process died without ending it stays "running" in the repository for ever; it counts
	 * only until it has been silent there for three progress intervals (at least a minute), so
	 * that a crash long ago does not keep every later run's group running. A step of another JVM
	 * that saves nothing for longer is then counted by that JVM's own heartbeat pushes only.
	 *
	 * <p>The repository is asked at most once per progress interval: the query reads every
	 * execution of the job, so asking at every push made each run slower the more runs the
	 * repository held. While this JVM still runs an execution of the group, its next heartbeat
	 * corrects within an interval what changed elsewhere meanwhile. The push that leaves the group
	 * without one here is the last this JVM makes, so there the executions counted before are
	 * looked up again, by id: one that ended must not stay counted, as no later push of this JVM
	 * would take it back. One that started elsewhere since is counted by its own JVM's pushes.
	 */
	private List<JobExecution> runningElsewhere(GroupRecord record, List<JobExecution> local, Instant now,
			JobSchedule schedule) {
		if (this.repository == null) {
			return List.of();
		}
		Duration silence = schedule.progressInterval().multipliedBy(3);
		Instant aliveSince = now.minus((silence.compareTo(MIN_SILENCE) < 0) ? MIN_SILENCE : silence);
		Instant read = record.runningElsewhereRead;
		try {
			if (read == null || !now.isBefore(read.plus(schedule.progressInterval()))) {
				record.runningElsewhere = listedRunning(record, local, aliveSince);
				record.runningElsewhereRead = now;
			}
			else if (local.isEmpty() && !record.runningElsewhere.isEmpty()) {
				record.runningElsewhere = stillRunning(record.runningElsewhere, aliveSince);
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Could not read the running executions of job '" + record.jobName
					+ "' from the job repository; counting this JVM's only", ex);
			record.runningElsewhere = List.of();
			record.runningElsewhereRead = null;
		}
		List<JobExecution> elsewhere = new ArrayList<>();
		for (JobExecution execution : record.runningElsewhere) {
			if (!isLocal(execution, local) && !record.endedRecently(execution.getId())) {
				elsewhere.add(execution);
			}
		}
		return elsewhere;
	}

	/** Asks the repository for the group's running executions that are not this JVM's. */
	private List<JobExecution> listedRunning(GroupRecord record, List<JobExecution> local, Instant aliveSince) {
		List<JobExecution> listed = new ArrayList<>();
		for (JobExecution execution : this.repository.findRunningJobExecutions(record.jobName)) {
			if (!isLocal(execution, local) && !record.endedRecently(execution.getId())
					&& !lastSaved(execution).isBefore(aliveSince)
					&& this.groups.resolver().resolve(execution).equals(record.group)) {
				listed.add(execution);
			}
		}
		return listed;
	}

	/** Looks the given executions up again and keeps those still running and alive. */
	private List<JobExecution> stillRunning(List<JobExecution> executions, Instant aliveSince) {
		List<JobExecution> running = new ArrayList<>();
		for (JobExecution execution : executions) {
			JobExecution stored = this.repository.getJobExecution(execution.getId());
			if (stored != null && stored.getStatus().isRunning() && !lastSaved(stored).isBefore(aliveSince)) {
				running.add(stored);
			}
		}
		return running;
	}

	/** When the repository last saved the execution or one of its steps. */
	private static Instant lastSaved(JobExecution execution) {
		LocalDateTime last = execution.getLastUpdated();
		if (last == null) {
			last = execution.getStartTime();
		}
		for (StepExecution step : execution.getStepExecutions()) {
			LocalDateTime stepSaved = step.getLastUpdated();
			if (stepSaved != null && (last == null || stepSaved.isAfter(last))) {
				last = stepSaved;
			}
		}
		return (last != null) ? BatchTimes.toInstant(last) : Instant.EPOCH;
	}

	private static boolean isLocal(JobExecution execution, List<JobExecution> local) {
		for (JobExecution mine : local) {
			// Ids where the repository gives them; the resourceless repository gives every
			// execution the same id, so a match there means "one of ours" too.
			if (mine == execution || mine.getId() == execution.getId()) {
				return true;
			}
		}
		return false;
	}

	private static @Nullable JobExecution newest(List<JobExecution> running) {
		JobExecution newest = null;
		for (JobExecution execution : running) {
			if (newest == null || isLater(execution, newest)) {
				newest = execution;
			}
		}
		return newest;
	}

	private static boolean isLater(JobExecution execution, JobExecution than) {
		LocalDateTime start = execution.getStartTime();
		LocalDateTime other = than.getStartTime();
		return start != null && (other == null || !start.isBefore(other));
	}

}
