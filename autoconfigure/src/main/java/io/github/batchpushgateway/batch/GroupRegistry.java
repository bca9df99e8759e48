package io.github.batchpushgateway.batch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.batchpushgateway.push.PushGroup;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.util.Assert;

/**
 * The groups this JVM pushes. With grouping parameters a job gets one group per combination of
 * their values; past the configured number of groups per job, new combinations share the job's
 * overflow group (and a WARN says so once per job), so neither the gateway's series nor this
 * JVM's memory grow with a parameter that takes a new value at every run.
 */
final class GroupRegistry {

	private static final Log logger = LogFactory.getLog(GroupRegistry.class);

	private final PushGroupResolver resolver;

	private final int maxGroupsPerJob;

	private final Map<PushGroup, GroupRecord> groups = new ConcurrentHashMap<>();

	/** Guarded by itself. */
	private final Map<String, Integer> groupsPerJob = new HashMap<>();

	/**
	 * Executions from start until the sending side took in their end, by identity: ids are not
	 * unique everywhere (the resourceless job repository gives every execution the same id).
	 */
	private final Map<JobExecution, TrackedExecution> executions = Collections
		.synchronizedMap(new IdentityHashMap<>());

	GroupRegistry(PushGroupResolver resolver, int maxGroupsPerJob) {
		Assert.notNull(resolver, "'resolver' must not be null");
		Assert.isTrue(maxGroupsPerJob > 0, "'maxGroupsPerJob' must be positive");
		this.resolver = resolver;
		this.maxGroupsPerJob = maxGroupsPerJob;
	}

	/** Returns the record of an execution's group, creating it within the bound. */
	GroupRecord recordOf(JobExecution execution) {
		PushGroup group = this.resolver.resolve(execution);
		GroupRecord record = this.groups.get(group);
		if (record != null) {
			return record;
		}
		String jobName = execution.getJobInstance().getJobName();
		synchronized (this.groupsPerJob) {
			record = this.groups.get(group);
			if (record != null) {
				return record;
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
				return this.groups.computeIfAbsent(overflow, (key) -> new GroupRecord(key, jobName));
			}
			this.groupsPerJob.put(jobName, count + 1);
			record = new GroupRecord(group, jobName);
			this.groups.put(group, record);
			return record;
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
			GroupRecord record = recordOf(execution);
			tracked = new TrackedExecution(execution, record.group);
			this.executions.put(execution, tracked);
			record.add(tracked);
			return tracked;
		}
	}

	/** Returns the tracked execution, {@code null} when it is not (or no longer) tracked. */
	@Nullable TrackedExecution tracked(JobExecution execution) {
		return this.executions.get(execution);
	}

	/** The sending side took in the execution's end: forget it. */
	void taken(GroupRecord record, TrackedExecution tracked) {
		record.taken(tracked);
		this.executions.remove(tracked.execution, tracked);
	}

	@Nullable GroupRecord get(PushGroup group) {
		return this.groups.get(group);
	}

	Collection<GroupRecord> all() {
		return this.groups.values();
	}

	/** Returns every execution not yet taken in by the sending side. */
	List<TrackedExecution> trackedExecutions() {
		List<TrackedExecution> executions = new ArrayList<>();
		this.groups.values().forEach((record) -> executions.addAll(record.executions()));
		return executions;
	}

	PushGroupResolver resolver() {
		return this.resolver;
	}

}
