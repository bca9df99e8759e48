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
	 * Reads a job's executions by their columns; {@code null} where they need the parameters
	 * (grouping parameters), or once the tables turn out not to be the repository's.
	 */
	private volatile @Nullable JdbcJobExecutions jobExecutions;

	/** Whether the tables read by {@link #jobExecutions} were found to be the repository's. */
	private volatile boolean jobExecutionsChecked;

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
	 * to read them through the repository's API (a repository that is not JDBC); its tables also
	 * serve the reads of a job's executions, by their columns, where groups need no job parameter
	 */
	JobRepositoryReads(@Nullable JobRepository repository, PushGroupResolver groups, int maxInstancesScanned,
			@Nullable JdbcStepExecutions stepExecutions) {
		Assert.notNull(groups, "'groups' must not be null");
		Assert.isTrue(maxInstancesScanned >= 0, "'maxInstancesScanned' must not be negative");
		this.repository = repository;
		this.groups = groups;
		this.maxInstancesScanned = maxInstancesScanned;
		this.stepExecutions = stepExecutions;
		this.jobExecutions = (stepExecutions != null && !groups.hasGroupingParameters())
				? stepExecutions.jobExecutions() : null;
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
	 * Reads a group's history, once, when the group is first pushed in this JVM, as
	 * {@link #seed(PushGroup, String, Predicate)} does with no run in hand.
	 * @param group the group
	 * @param jobName the name of the group's job
	 * @return its history, empty without a repository or when it cannot be read
	 */
	JobHistory seed(PushGroup group, String jobName) {
		return seed(group, jobName, (execution) -> false).history();
	}

	/**
	 * Reads a group's history, once, when the group is first pushed in this JVM. Instances come
	 * newest first. By columns, in one statement, the executions of all instances up to the
	 * limit; through the repository's API it stops at the page that holds the last success, the
	 * metric that matters (the last failure is known when it is that recent too), and a job that
	 * never succeeded is read up to the limit.
	 * @param group the group
	 * @param jobName the name of the group's job
	 * @param inHand whether an execution is one this JVM runs and has not yet taken in; those are
	 * left out, as {@link #newestRuns} leaves them out
	 * @return its history, empty without a repository or when it cannot be read, and whether the
	 * reading took in every run {@link #newestRuns} reads
	 */
	Seed seed(PushGroup group, String jobName, Predicate<JobExecution> inHand) {
		if (this.repository == null) {
			return new Seed(JobHistory.EMPTY, false);
		}
		JobHistory history = JobHistory.EMPTY;
		// The newest instances, the refresh's, are on the first page of either reading.
		boolean newestRead = this.maxInstancesScanned >= REFRESHED_INSTANCES;
		try {
			List<JdbcJobExecutions.Columns> read = (this.maxInstancesScanned > 0)
					? newestByColumns(jobName, this.maxInstancesScanned) : List.of();
			if (read != null) {
				// Rows are cheap where executions read through the API are not: all instances
				// up to the limit, so an older last failure is known too.
				for (FinishedRun run : finishedRuns(read, group, inHand)) {
					history = history.with(run);
				}
				return new Seed(history, newestRead);
			}
			for (int start = 0; start < this.maxInstancesScanned; start += PAGE_SIZE) {
				List<JobInstance> instances = this.repository.getJobInstances(jobName, start,
						Math.min(PAGE_SIZE, this.maxInstancesScanned - start));
				for (FinishedRun run : finishedRuns(executionsOf(instances), group, inHand)) {
					history = history.with(run);
				}
				if (instances.size() < PAGE_SIZE || history.lastSuccess() != null) {
					break;
				}
			}
			return new Seed(history, newestRead);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not read the history of job '" + jobName + "' from the job repository ("
					+ ex.getClass().getName() + "); its last success is known from this run on", ex);
			return new Seed(history, false);
		}
	}

	/**
	 * A group's history as first read from the repository.
	 *
	 * @param history the history
	 * @param newestRunsRead whether the reading took in every run of the job's newest instances
	 * that a refresh ({@link #newestRuns}) reads: it then stands for a refresh made at its time
	 */
	record Seed(JobHistory history, boolean newestRunsRead) {
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
		List<JdbcJobExecutions.Columns> read = newestByColumns(jobName, REFRESHED_INSTANCES);
		return finishedRuns((read != null) ? read : executionsOf(this.repository.getJobInstances(jobName, 0,
				REFRESHED_INSTANCES)), group, inHand);
	}

	private List<JobExecution> executionsOf(List<JobInstance> instances) {
		List<JobExecution> executions = new ArrayList<>();
		for (JobInstance instance : instances) {
			executions.addAll(this.repository.getJobExecutions(instance));
		}
		return executions;
	}

	private List<FinishedRun> finishedRuns(List<? extends JobExecution> executions, PushGroup group,
			Predicate<JobExecution> inHand) {
		List<FinishedRun> runs = new ArrayList<>();
		for (JobExecution execution : executions) {
			FinishedRun run = FinishedRun.of(execution);
			if (run != null && !inHand.test(execution) && this.groups.resolve(execution).equals(group)) {
				runs.add(run);
			}
		}
		return runs;
	}

	/**
	 * Returns the history with the run it shows read in full, with its steps and parameters, where
	 * only its columns were read: a run of another JVM, or of an earlier one, is shown with its
	 * steps as before. Read once: the history keeps the full copy.
	 * @param history a group's history
	 * @return the history, its shown run read in full where it could be
	 */
	JobHistory withShownRunInFull(JobHistory history) {
		FinishedRun shown = history.lastFinished();
		if (this.repository == null || shown == null || !(shown.execution() instanceof JdbcJobExecutions.Columns)) {
			return history;
		}
		try {
			JobExecution stored = this.repository.getJobExecution(shown.execution().getId());
			if (stored == null) {
				return history;
			}
			return new JobHistory(history.lastSuccess(), history.lastFailure(),
					new FinishedRun(shown.start(), shown.end(), shown.status(), shown.exitCode(), stored));
		}
		catch (RuntimeException ex) {
			logger.debug("Could not read execution " + shown.execution().getId() + " from the job repository", ex);
			return history;
		}
	}

	/**
	 * Reads the executions of the job's newest instances by columns where they fit the
	 * repository; the first time, the rows read are themselves the check that the tables are the
	 * repository's (their newest instance is the one the API lists), so a group's first push does
	 * not read them twice.
	 * @return what was read, {@code null} to read through the repository's API instead
	 */
	private @Nullable List<JdbcJobExecutions.Columns> newestByColumns(String jobName, int instances) {
		JdbcJobExecutions columns = this.jobExecutions;
		if (columns == null) {
			return null;
		}
		try {
			List<JdbcJobExecutions.Columns> read = columns.ofNewestInstances(jobName, instances);
			return (this.jobExecutionsChecked || holdsNewestInstance(read, jobName)) ? read : null;
		}
		catch (DataAccessException ex) {
			giveUpColumns(ex.getMessage());
			return null;
		}
	}

	/**
	 * Reads the executions the repository lists as running by columns where they fit the
	 * repository, checking the tables first as {@link #newestByColumns} does.
	 * @return what was read, {@code null} to read through the repository's API instead
	 */
	private @Nullable List<JdbcJobExecutions.Columns> runningByColumns(String jobName) {
		JdbcJobExecutions columns = this.jobExecutions;
		if (columns == null) {
			return null;
		}
		try {
			if (!this.jobExecutionsChecked && !holdsNewestInstance(columns.ofNewestInstances(jobName, 1), jobName)) {
				return null;
			}
			return columns.running(jobName);
		}
		catch (DataAccessException ex) {
			giveUpColumns(ex.getMessage());
			return null;
		}
	}

	/**
	 * Whether rows read by columns, newest instance first, start with the job's newest instance as
	 * the repository lists it; if not, the tables are another database's and are given up. Until
	 * the job has an instance, nothing is known either way, and the next read checks again.
	 */
	private boolean holdsNewestInstance(List<JdbcJobExecutions.Columns> newestFirst, String jobName) {
		List<JobInstance> newest = this.repository.getJobInstances(jobName, 0, 1);
		if (newest.isEmpty() && newestFirst.isEmpty()) {
			return true;
		}
		boolean same = !newest.isEmpty() && !newestFirst.isEmpty()
				&& newestFirst.get(0).getJobInstance().getInstanceId() == newest.get(0).getInstanceId();
		this.jobExecutionsChecked = same;
		if (!same) {
			giveUpColumns("its newest instance of job '" + jobName + "' is not the job repository's (the job "
					+ "repository is on another data source)");
		}
		return same;
	}

	/** The reads by columns do not fit this repository: its API is used from now on. */
	private void giveUpColumns(@Nullable String reason) {
		if (this.jobExecutions != null) {
			this.jobExecutions = null;
			logger.info("Reading a job's earlier and running executions through the job repository's API, not by "
					+ "their columns on the application's DataSource: " + reason);
		}
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
		List<JdbcJobExecutions.Columns> read = runningByColumns(jobName);
		List<JobExecution> running = new ArrayList<>();
		for (JobExecution execution : (read != null) ? read : this.repository.findRunningJobExecutions(jobName)) {
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
