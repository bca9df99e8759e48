package io.github.batchpushgateway.batch;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import io.github.batchpushgateway.metrics.JobHistory;
import io.github.batchpushgateway.metrics.JobHistory.FinishedRun;
import io.github.batchpushgateway.push.GroupOutcomes;
import io.github.batchpushgateway.push.PushGroup;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.util.Assert;

/**
 * Keeps each group's last success, last failure and shown run, on the sending side. The first time
 * a group is pushed in this JVM its history is read from the job repository and merged with what
 * the target already holds for it; after that it is tracked in memory. So the last success
 * survives failed runs and a restarted empty gateway (the next push carries it again), application
 * restarts with a persistent job repository, and application restarts with an in-memory one as
 * long as the gateway kept it. One entry per group, and groups per job are bounded.
 */
public final class JobHistoryTracker {

	private static final Log logger = LogFactory.getLog(JobHistoryTracker.class);

	private static final int PAGE_SIZE = 20;

	private static final int REFRESHED_INSTANCES = 3;

	private final @Nullable JobRepository repository;

	private final PushGroupResolver groups;

	private final int maxInstancesScanned;

	private final Map<PushGroup, JobHistory> histories = new ConcurrentHashMap<>();

	/**
	 * Creates a tracker.
	 * @param repository the job repository to seed from, {@code null} to start with no history
	 * @param groups finds the group of earlier executions
	 * @param maxInstancesScanned how many of a job's most recent instances to read, at most,
	 * when seeding a group
	 */
	public JobHistoryTracker(@Nullable JobRepository repository, PushGroupResolver groups, int maxInstancesScanned) {
		Assert.notNull(groups, "'groups' must not be null");
		Assert.isTrue(maxInstancesScanned >= 0, "'maxInstancesScanned' must not be negative");
		this.repository = repository;
		this.groups = groups;
		this.maxInstancesScanned = maxInstancesScanned;
	}

	/**
	 * Returns a group's history, seeding it from the repository on first use.
	 * @param group the group
	 * @param jobName the name of the group's job
	 * @return the group's history
	 */
	public JobHistory historyOf(PushGroup group, String jobName) {
		return this.histories.computeIfAbsent(group, (key) -> seed(key, jobName));
	}

	/**
	 * Returns a group's history with the runs of its job's newest instances in the repository
	 * merged in: with a repository shared by several JVMs, runs that other JVMs ended since are
	 * taken in, so this JVM's pushes never replace their outcomes with older ones. Called on the
	 * sending side before each push; a few rows.
	 * @param group the group
	 * @param jobName the name of the group's job
	 * @return the group's history
	 */
	public JobHistory refresh(PushGroup group, String jobName) {
		return refresh(group, jobName, (execution) -> false);
	}

	/**
	 * Returns a group's history with the runs of its job's newest instances in the repository
	 * merged in, except those this JVM still has in hand: Spring Batch saves a job's end before it
	 * calls the afterJob listeners, which may still change its outcome, so a copy read then could
	 * give the group a last success the run does not end with.
	 * @param group the group
	 * @param jobName the name of the group's job
	 * @param inHand whether an execution is one this JVM runs and has not yet taken in
	 * @return the group's history
	 */
	public JobHistory refresh(PushGroup group, String jobName, Predicate<JobExecution> inHand) {
		JobHistory history = historyOf(group, jobName);
		if (this.repository == null) {
			return history;
		}
		try {
			for (JobInstance instance : this.repository.getJobInstances(jobName, 0, REFRESHED_INSTANCES)) {
				for (JobExecution execution : this.repository.getJobExecutions(instance)) {
					FinishedRun run = FinishedRun.of(execution);
					if (run != null && !inHand.test(execution) && this.groups.resolve(execution).equals(group)) {
						history = this.histories.compute(group, (key, current) -> current.with(run));
					}
				}
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Could not refresh the history of job '" + jobName + "' from the job repository", ex);
		}
		return history;
	}

	/**
	 * Adds a finished run this JVM ran to its group's history.
	 * @param group the run's group
	 * @param jobName the name of the group's job
	 * @param run the finished run
	 * @return the updated history
	 */
	public JobHistory recordFinished(PushGroup group, String jobName, FinishedRun run) {
		historyOf(group, jobName);
		return this.histories.compute(group, (key, history) -> history.withRunInHand(run));
	}

	/**
	 * Merges the outcomes a target holds for a group into its history; the newest of each wins.
	 * @param group the group
	 * @param jobName the name of the group's job
	 * @param held what the target holds
	 * @return the updated history
	 */
	public JobHistory absorb(PushGroup group, String jobName, GroupOutcomes held) {
		historyOf(group, jobName);
		return this.histories.compute(group, (key, history) -> history.with(held));
	}

	private JobHistory seed(PushGroup group, String jobName) {
		if (this.repository == null) {
			return JobHistory.EMPTY;
		}
		JobHistory history = JobHistory.EMPTY;
		try {
			// Instances come newest first: stop at the page that holds the last success, the
			// metric that matters; the last failure is known when it is that recent too. A job
			// that never succeeded is read up to the limit.
			for (int start = 0; start < this.maxInstancesScanned; start += PAGE_SIZE) {
				List<JobInstance> instances = this.repository.getJobInstances(jobName, start,
						Math.min(PAGE_SIZE, this.maxInstancesScanned - start));
				for (JobInstance instance : instances) {
					for (JobExecution execution : this.repository.getJobExecutions(instance)) {
						FinishedRun run = FinishedRun.of(execution);
						if (run != null && this.groups.resolve(execution).equals(group)) {
							history = history.with(run);
						}
					}
				}
				if (instances.size() < PAGE_SIZE || history.lastSuccess() != null) {
					break;
				}
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not read the history of job '" + jobName + "' from the job repository ("
					+ ex.getClass().getName() + "); its last success is known from this run on", ex);
		}
		return history;
	}

}
