package io.github.batchpushgateway.batch;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

import io.github.batchpushgateway.metrics.JobMetricsSnapshotFactory;
import io.github.batchpushgateway.metrics.JobSchedule;
import io.github.batchpushgateway.push.GroupOutcomes;
import io.github.batchpushgateway.push.GroupStateSource;
import io.github.batchpushgateway.push.PushGroup;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.util.Assert;

/**
 * The groups this JVM pushes, each a {@link GroupState}, and the sender's way to their state. With
 * grouping parameters a job gets one group per combination of their values; past the configured
 * number of groups per job, new combinations share the job's overflow group (and a WARN says so
 * once per job), so neither the gateway's series nor this JVM's memory grow with a parameter that
 * takes a new value at every run.
 */
final class GroupStates implements GroupStateSource {

	private static final Log logger = LogFactory.getLog(GroupStates.class);

	private final PushGroupResolver resolver;

	private final int maxGroupsPerJob;

	private final JobRepositoryReads repository;

	private final JobMetricsSnapshotFactory snapshots;

	private final Function<String, JobSchedule> schedules;

	private final Clock clock;

	/**
	 * Takes an execution out of its group: handed to each state built. A class rather than a
	 * method reference, which a cold JVM would spin at its first push (see GroupSender.Attempt).
	 */
	private final Consumer<TrackedExecution> untrack = new Untrack();

	private final Map<PushGroup, GroupState> groups = new ConcurrentHashMap<>();

	/** Guarded by itself. */
	private final Map<String, Integer> groupsPerJob = new HashMap<>();

	/**
	 * Executions from start until the sending side took in their end, by identity: ids are not
	 * unique everywhere (the resourceless job repository gives every execution the same id).
	 */
	private final Map<JobExecution, TrackedExecution> executions = Collections
		.synchronizedMap(new IdentityHashMap<>());

	GroupStates(PushGroupResolver resolver, int maxGroupsPerJob, JobRepositoryReads repository,
			JobMetricsSnapshotFactory snapshots, Function<String, JobSchedule> schedules, Clock clock) {
		Assert.notNull(resolver, "'resolver' must not be null");
		Assert.isTrue(maxGroupsPerJob > 0, "'maxGroupsPerJob' must be positive");
		Assert.notNull(repository, "'repository' must not be null");
		Assert.notNull(snapshots, "'snapshots' must not be null");
		Assert.notNull(schedules, "'schedules' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.resolver = resolver;
		this.maxGroupsPerJob = maxGroupsPerJob;
		this.repository = repository;
		this.snapshots = snapshots;
		this.schedules = schedules;
		this.clock = clock;
	}

	/** Returns the state of an execution's group, creating it within the bound. */
	GroupState stateOf(JobExecution execution) {
		PushGroup group = this.resolver.resolve(execution);
		GroupState state = this.groups.get(group);
		if (state != null) {
			return state;
		}
		String jobName = execution.getJobInstance().getJobName();
		synchronized (this.groupsPerJob) {
			state = this.groups.get(group);
			if (state != null) {
				return state;
			}
			int count = this.groupsPerJob.getOrDefault(jobName, 0);
			if (count >= this.maxGroupsPerJob && this.resolver.hasGroupingParameters()) {
				PushGroup overflow = this.resolver.overflow(execution);
				if (count == this.maxGroupsPerJob) {
					logger.warn("Job '" + jobName + "' reached " + this.maxGroupsPerJob
							+ " groups (batch.pushgateway.max-groups-per-job): executions with new values of "
							+ "batch.pushgateway.grouping-parameters now share the group " + overflow
							+ ". A grouping parameter should take few values, never one per run");
					this.groupsPerJob.put(jobName, count + 1);
				}
				return this.groups.computeIfAbsent(overflow, (key) -> new GroupState(key, jobName, this.repository));
			}
			this.groupsPerJob.put(jobName, count + 1);
			state = new GroupState(group, jobName, this.repository);
			this.groups.put(group, state);
			return state;
		}
	}

	/**
	 * Starts tracking an execution in its group; an execution already tracked stays as it is, so
	 * a second start event cannot leave a copy that would count as running for ever.
	 */
	TrackedExecution track(JobExecution execution) {
		synchronized (this.executions) {
			TrackedExecution tracked = this.executions.get(execution);
			if (tracked != null) {
				return tracked;
			}
			GroupState state = stateOf(execution);
			tracked = new TrackedExecution(execution, state.group);
			this.executions.put(execution, tracked);
			state.add(tracked);
			return tracked;
		}
	}

	/** Returns the tracked execution, {@code null} when it is not (or no longer) tracked. */
	@Nullable TrackedExecution tracked(JobExecution execution) {
		return this.executions.get(execution);
	}

	@Nullable GroupState get(PushGroup group) {
		return this.groups.get(group);
	}

	Collection<GroupState> all() {
		return this.groups.values();
	}

	/** Returns every execution not yet taken in by the sending side. */
	List<TrackedExecution> trackedExecutions() {
		List<TrackedExecution> executions = new ArrayList<>();
		for (GroupState state : this.groups.values()) {
			executions.addAll(state.executions());
		}
		return executions;
	}

	/** What the job repository is read through. */
	JobRepositoryReads repository() {
		return this.repository;
	}

	@Override
	public void absorb(PushGroup group, GroupOutcomes held) {
		GroupState state = this.groups.get(group);
		if (state != null) {
			state.absorb(held);
		}
	}

	@Override
	public synchronized @Nullable MetricSnapshots snapshot(PushGroup group) {
		GroupState state = this.groups.get(group);
		if (state == null) {
			return null;
		}
		return this.snapshots
			.create(state.state(this.clock.instant(), this.schedules.apply(state.jobName), this.untrack));
	}

	/**
	 * Moves the group's ended executions into its history and lets go of them. Also run by the
	 * heartbeat, so that ended executions are not held while the target cannot be reached.
	 */
	synchronized void takeInEnded(GroupState state) {
		state.takeInEnded(this.clock.instant(), this.untrack);
	}

	/** The sending side took in the execution's end: forget it. */
	private void untrack(TrackedExecution tracked) {
		this.executions.remove(tracked.execution, tracked);
		// Its end is in the history: what contributors keep for it can go.
		this.snapshots.executionEnded(tracked.execution);
	}

	/** Takes an execution out of its group: {@link #untrack(TrackedExecution)}. */
	private final class Untrack implements Consumer<TrackedExecution> {

		@Override
		public void accept(TrackedExecution tracked) {
			untrack(tracked);
		}

	}

}
