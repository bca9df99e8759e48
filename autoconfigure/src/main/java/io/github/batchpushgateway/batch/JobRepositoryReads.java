package io.github.batchpushgateway.batch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.github.batchpushgateway.metrics.JobHistory;
import io.github.batchpushgateway.metrics.JobHistory.FinishedRun;
import io.github.batchpushgateway.metrics.StepSample;
import io.github.batchpushgateway.push.PushGroup;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.DataAccessException;
import org.springframework.util.Assert;

/**
 * Every read of the job repository the groups' states make, on the sending side (and at
 * shutdown): a group's earlier runs, the runs other JVMs ended or run, and the repository's copy
 * of an execution this JVM runs. Holds no state of its own: what is read goes into the
 * {@link GroupState} that asked.
 */
final class JobRepositoryReads {

	private static final Log logger = LogFactory.getLog(JobRepositoryReads.class);

	private static final int PAGE_SIZE = 20;

	private static final int REFRESHED_INSTANCES = 3;

	private final @Nullable JobRepository repository;

	private final PushGroupResolver groups;

	private final int maxInstancesScanned;

	/** Set to {@code null} once the one-statement read turns out not to fit the repository. */
	private volatile @Nullable JdbcStepExecutions stepExecutions;

	/**
	 * Creates the reads of a repository that reads step executions through its API.
	 * @param repository the job repository, {@code null} when there is none
	 * @param groups finds the group of executions read
	 * @param maxInstancesScanned how many of a job's most recent instances to read, at most,
	 * when seeding a group's history
	 */
	JobRepositoryReads(@Nullable JobRepository repository, PushGroupResolver groups, int maxInstancesScanned) {
		this(repository, groups, maxInstancesScanned, null);
	}

	/**
	 * Creates the reads of a repository.
	 * @param repository the job repository, {@code null} when there is none
	 * @param groups finds the group of executions read
	 * @param maxInstancesScanned how many of a job's most recent instances to read, at most,
	 * when seeding a group's history
	 * @param stepExecutions reads a job execution's step executions in one statement, {@code null}
	 * to read them through the repository's API (a repository that is not JDBC)
	 */
	JobRepositoryReads(@Nullable JobRepository repository, PushGroupResolver groups, int maxInstancesScanned,
			@Nullable JdbcStepExecutions stepExecutions) {
		Assert.notNull(groups, "'groups' must not be null");
		Assert.isTrue(maxInstancesScanned >= 0, "'maxInstancesScanned' must not be negative");
		this.repository = repository;
		this.groups = groups;
		this.maxInstancesScanned = maxInstancesScanned;
		this.stepExecutions = stepExecutions;
	}

	/**
	 * Returns whether there is a job repository to ask.
	 * @return whether reads can know anything
	 */
	boolean available() {
		return this.repository != null;
	}

	/**
	 * Returns the repository's copy of an execution.
	 * @param execution an execution this JVM runs
	 * @return the repository's copy (for the resourceless repository, the object in hand), or
	 * {@code null} when there is no repository or it holds no such execution
	 * @throws RuntimeException when the repository cannot be read
	 */
	@Nullable JobExecution of(JobExecution execution) {
		if (this.repository == null) {
			return null;
		}
		JobExecution stored = this.repository.getJobExecution(execution.getId());
		return (stored != null && TrackedExecution.isSame(stored, execution)) ? stored : null;
	}

	/**
	 * Returns the repository's copy of an execution, {@code null} also when it cannot be read.
	 * @param execution an execution this JVM runs
	 * @return the repository's copy, or {@code null}
	 */
	@Nullable JobExecution ofIfReadable(JobExecution execution) {
		try {
			return of(execution);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not read execution " + execution.getId() + " from the job repository", ex);
			return null;
		}
	}

	/**
	 * Reads a group's history, once, when the group is first pushed in this JVM. Instances come
	 * newest first: it stops at the page that holds the last success, the metric that matters;
	 * the last failure is known when it is that recent too. A job that never succeeded is read up
	 * to the limit.
	 * @param group the group
	 * @param jobName the name of the group's job
	 * @return its history, empty without a repository or when it cannot be read
	 */
	JobHistory seed(PushGroup group, String jobName) {
		if (this.repository == null) {
			return JobHistory.EMPTY;
		}
		JobHistory history = JobHistory.EMPTY;
		try {
			for (int start = 0; start < this.maxInstancesScanned; start += PAGE_SIZE) {
				List<JobInstance> instances = this.repository.getJobInstances(jobName, start,
						Math.min(PAGE_SIZE, this.maxInstancesScanned - start));
				for (FinishedRun run : finishedRuns(instances, group, (execution) -> false)) {
					history = history.with(run);
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

	/**
	 * Reads the finished runs of the group's job's newest instances: a few rows.
	 * @param group the group
	 * @param jobName the name of the group's job
	 * @param inHand whether an execution is one this JVM runs and has not yet taken in; those are
	 * left out
	 * @return the runs, none without a repository
	 * @throws RuntimeException when the repository cannot be read
	 */
	List<FinishedRun> newestRuns(PushGroup group, String jobName, Predicate<JobExecution> inHand) {
		if (this.repository == null) {
			return List.of();
		}
		return finishedRuns(this.repository.getJobInstances(jobName, 0, REFRESHED_INSTANCES), group, inHand);
	}

	private List<FinishedRun> finishedRuns(List<JobInstance> instances, PushGroup group,
			Predicate<JobExecution> inHand) {
		List<FinishedRun> runs = new ArrayList<>();
		for (JobInstance instance : instances) {
			for (JobExecution execution : this.repository.getJobExecutions(instance)) {
				FinishedRun run = FinishedRun.of(execution);
				if (run != null && !inHand.test(execution) && this.groups.resolve(execution).equals(group)) {
					runs.add(run);
				}
			}
		}
		return runs;
	}

	/**
	 * Reads the executions of a group the repository lists as running, in any JVM.
	 * @param group the group
	 * @param jobName the name of the group's job
	 * @return the executions, none without a repository
	 * @throws RuntimeException when the repository cannot be read
	 */
	List<JobExecution> running(PushGroup group, String jobName) {
		if (this.repository == null) {
			return List.of();
		}
		List<JobExecution> running = new ArrayList<>();
		for (JobExecution execution : this.repository.findRunningJobExecutions(jobName)) {
			if (this.groups.resolve(execution).equals(group)) {
				running.add(execution);
			}
		}
		return running;
	}

	/**
	 * Reads the step executions of an execution this JVM runs as the repository holds them: one
	 * statement with a JDBC repository, else the repository's copy of the execution.
	 * @param execution an execution this JVM runs
	 * @return its step executions as saved, by id; none without a repository
	 * @throws RuntimeException when the repository cannot be read
	 */
	Map<Long, StepSample> stepsOf(JobExecution execution) {
		JdbcStepExecutions statement = this.stepExecutions;
		if (statement != null) {
			try {
				Map<Long, StepSample> steps = statement.of(execution.getId());
				if (holdsAll(steps, execution)) {
					return steps;
				}
				giveUpStatement("it lacks steps this execution has (the job repository is on another data source)");
			}
			catch (DataAccessException ex) {
				// A job repository on another database or with another table prefix than the
				// one configured: its API still knows.
				giveUpStatement(ex.getMessage());
			}
		}
		JobExecution stored = of(execution);
		if (stored == null) {
			return Map.of();
		}
		Map<Long, StepSample> steps = new LinkedHashMap<>();
		for (StepExecution step : stored.getStepExecutions()) {
			steps.put(step.getId(), StepSample.of(step));
		}
		return steps;
	}

	/**
	 * Whether the statement's rows are those of the execution: the partitions the execution knows
	 * in memory (its partition steps created them, so they are saved) are found among them, under
	 * their ids and names. A table read on a data source other than the repository's holds another
	 * execution's steps, or none.
	 */
	private static boolean holdsAll(Map<Long, StepSample> steps, JobExecution execution) {
		boolean partitions = false;
		boolean found = false;
		for (StepExecution step : execution.getStepExecutions()) {
			if (step.getStepName().contains(":")) {
				partitions = true;
				StepSample read = steps.get(step.getId());
				if (read != null) {
					if (!read.name().equals(step.getStepName())) {
						return false;
					}
					found = true;
				}
			}
		}
		return found || !partitions;
	}

	/** The one-statement read does not fit this repository: its API is used from now on. */
	private void giveUpStatement(@Nullable String reason) {
		if (this.stepExecutions != null) {
			this.stepExecutions = null;
			logger.info("Reading step executions run in other JVMs through the job repository's API (one query per "
					+ "step), not in one statement on the application's DataSource: " + reason);
		}
	}

	/**
	 * Reads an execution again by its id.
	 * @param id the execution's id
	 * @return the execution, {@code null} when there is no repository or it holds no such one
	 * @throws RuntimeException when the repository cannot be read
	 */
	@Nullable JobExecution byId(long id) {
		return (this.repository != null) ? this.repository.getJobExecution(id) : null;
	}

}
