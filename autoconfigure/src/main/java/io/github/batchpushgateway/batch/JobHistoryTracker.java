package io.github.batchpushgateway.batch;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.batchpushgateway.metrics.JobHistory;
import io.github.batchpushgateway.metrics.JobHistory.FinishedRun;
import io.github.batchpushgateway.push.PushGroup;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.util.Assert;

/**
 * Keeps each group's last success, last failure and last finished run. The first time a group is
 * seen in this JVM its history is read from the job repository; after that it is tracked in memory.
 * So the last success never depends on what the Pushgateway happens to hold: it survives failed
 * runs, a restarted empty gateway and, with a persistent job repository, application restarts.
 */
public final class JobHistoryTracker {

	private static final Log logger = LogFactory.getLog(JobHistoryTracker.class);

	private static final int PAGE_SIZE = 20;

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
	 * Returns the history of an execution's group, seeding it from the repository on first use.
	 * @param group the execution's group
	 * @param current the execution, which is left out of the seed
	 * @return the group's history
	 */
	public JobHistory historyOf(PushGroup group, JobExecution current) {
		return this.histories.computeIfAbsent(group, (key) -> seed(key, current));
	}

	/**
	 * Adds a finished execution to its group's history.
	 * @param group the execution's group
	 * @param finished the execution, after its end
	 * @return the updated history
	 */
	public JobHistory recordFinished(PushGroup group, JobExecution finished) {
		FinishedRun run = FinishedRun.of(finished);
		JobHistory base = historyOf(group, finished);
		if (run == null) {
			return base;
		}
		return this.histories.merge(group, base.with(run), (old, ignored) -> old.with(run));
	}

	private JobHistory seed(PushGroup group, JobExecution current) {
		if (this.repository == null) {
			return JobHistory.EMPTY;
		}
		String jobName = current.getJobInstance().getJobName();
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
						if (run != null && execution.getId() != current.getId()
								&& this.groups.resolve(execution).equals(group)) {
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
