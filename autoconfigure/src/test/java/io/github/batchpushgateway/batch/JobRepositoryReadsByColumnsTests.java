package io.github.batchpushgateway.batch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.batchpushgateway.metrics.BatchTimes;
import io.github.batchpushgateway.metrics.JobHistory;
import io.github.batchpushgateway.metrics.JobHistory.FinishedRun;
import io.github.batchpushgateway.metrics.JobSchedule;
import io.github.batchpushgateway.metrics.JobState;
import io.github.batchpushgateway.push.GroupOutcomes;
import io.github.batchpushgateway.push.PushGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;

/**
 * Tests for {@link JobRepositoryReads} on a real JDBC job repository in an embedded H2 database:
 * a job's executions read by their columns give what the repository's API gives, and the API is
 * used where the columns do not fit.
 */
class JobRepositoryReadsByColumnsTests {

	private static final String JOB = "importJob";

	private final PushGroupResolver resolver = new PushGroupResolver(Map.of(), List.of());

	private final PushGroup group = PushGroup.of(JOB);

	private H2JobRepository h2;

	/** The real repository, watched: which of its reads were made. */
	private JobRepository repository;

	@BeforeEach
	void createRepository() throws Exception {
		this.h2 = new H2JobRepository();
		this.repository = mock(JobRepository.class, delegatesTo(this.h2.repository));
	}

	@AfterEach
	void shutDown() {
		this.h2.close();
	}

	@Test
	void theHistoryReadByColumnsIsTheHistoryTheApiGivesWithoutReadingAnExecutionThroughIt() {
		// given a success, a failure restarted to a success, a later failure, and a running execution
		savedHistory();
		JobHistory throughApi = new JobRepositoryReads(this.h2.repository, this.resolver, 200).seed(this.group, JOB);

		// when
		JobHistory byColumns = reads().seed(this.group, JOB);

		// then
		assertThat(byColumns.lastSuccess()).isEqualTo(throughApi.lastSuccess()).isNotNull();
		assertThat(byColumns.lastFailure()).isEqualTo(throughApi.lastFailure()).isNotNull();
		assertThat(run(byColumns)).isEqualTo(run(throughApi));
		assertThat(byColumns.lastFinished().status()).isEqualTo(BatchStatus.FAILED);
		then(this.repository).should(never()).getJobExecutions(any(JobInstance.class));
		then(this.repository).should(never()).getJobExecution(any(Long.class));
	}

	@Test
	void theNewestRunsReadByColumnsLeaveOutTheRunsInHand() {
		List<JobExecution> saved = savedHistory();
		JobExecution lastFailure = saved.get(3);
		JobRepositoryReads reads = reads();

		List<FinishedRun> newest = reads.newestRuns(this.group, JOB,
				(execution) -> execution.getId() == lastFailure.getId());

		assertThat(newest).extracting((run) -> run.execution().getId())
			.containsExactly(saved.get(2).getId(), saved.get(1).getId());
		then(this.repository).should(never()).getJobExecutions(any(JobInstance.class));
	}

	@Test
	void runningExecutionsAreReadByColumns() {
		JobExecution running = savedHistory().get(4);

		List<JobExecution> read = reads().running(this.group, JOB);

		assertThat(read).extracting(JobExecution::getId).containsExactly(running.getId());
		assertThat(read.get(0).getStartTime()).isEqualTo(running.getStartTime());
		then(this.repository).should(never()).findRunningJobExecutions(anyString());
	}

	@Test
	void groupsOfJobParametersAreReadThroughTheApiThatReadsTheParameters() {
		// given grouping by the parameter "run": only the group of run 2 is read
		savedHistory();
		PushGroupResolver byRun = new PushGroupResolver(Map.of(), List.of("run"));
		PushGroup run2 = new PushGroup(JOB, Map.of("run", "2"));

		// when
		JobHistory history = new JobRepositoryReads(this.repository, byRun, 200, this.h2.tables()).seed(run2, JOB);

		// then the failure restarted to a success
		assertThat(history.lastFinished().status()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(history.lastFailure()).isEqualTo(BatchTimes.toInstant(H2JobRepository.BASE.plusSeconds(110)));
		then(this.repository).should(atLeastOnce()).getJobExecutions(any(JobInstance.class));
	}

	@Test
	void tablesOfAnotherDatabaseAreGivenUpForTheApi() throws Exception {
		// given the application's database holds Spring Batch tables with another history of the job
		savedHistory();
		try (H2JobRepository other = new H2JobRepository()) {
			other.finished(other.instance(JOB, "elsewhere"), "elsewhere", 5000, BatchStatus.COMPLETED, "COMPLETED");
			JobRepositoryReads reads = new JobRepositoryReads(this.repository, this.resolver, 200, other.tables());

			// when
			JobHistory history = reads.seed(this.group, JOB);
			List<JobExecution> running = reads.running(this.group, JOB);

			// then the repository's own
			assertThat(history.lastFinished().status()).isEqualTo(BatchStatus.FAILED);
			assertThat(running).hasSize(1);
			then(this.repository).should(atLeastOnce()).getJobExecutions(any(JobInstance.class));
			then(this.repository).should().findRunningJobExecutions(JOB);
		}
	}

	@Test
	void tablesThatCannotBeReadAreGivenUpForTheApi() {
		savedHistory();
		JobRepositoryReads reads = new JobRepositoryReads(this.repository, this.resolver, 200,
				new JdbcStepExecutions(new JdbcTemplate(this.h2.database), "OTHER_"));

		JobHistory history = reads.seed(this.group, JOB);

		assertThat(history.lastFinished().status()).isEqualTo(BatchStatus.FAILED);
		then(this.repository).should(atLeastOnce()).getJobExecutions(any(JobInstance.class));
	}

	@Test
	void aRunReadByColumnsIsShownWithItsStepsReadInFull() {
		// given the job's last run, of another JVM, with a step, and no execution of it in hand
		JobExecution last = this.h2.finished(this.h2.instance(JOB, "1"), "1", 0, BatchStatus.COMPLETED, "COMPLETED");
		StepExecution step = this.h2.repository.createStepExecution("load", last);
		step.setStatus(BatchStatus.COMPLETED);
		step.setWriteCount(42);
		this.h2.repository.update(step);
		GroupState state = new GroupState(this.group, JOB, reads());

		// when
		JobState pushed = state.state(Instant.now(), new JobSchedule(Duration.ofSeconds(10), null), (tracked) -> {
		});

		// then
		JobExecution shown = pushed.shownExecution();
		assertThat(shown).isNotInstanceOf(JdbcJobExecutions.Columns.class);
		assertThat(shown.getId()).isEqualTo(last.getId());
		assertThat(shown.getStepExecutions()).extracting(StepExecution::getWriteCount).containsExactly(42L);
		assertThat(shown.getJobParameters().getString("run")).isEqualTo("1");
		assertThat(state.history().lastFinished().execution()).isSameAs(shown);
	}

	@Test
	void aHistorySeededByColumnsIsItsOwnCheckOfTheTables() {
		// given
		savedHistory();
		StatementLog statements = new StatementLog(this.h2.database);
		JobRepositoryReads reads = new JobRepositoryReads(this.repository, this.resolver, 200,
				new JdbcStepExecutions(statements, "BATCH_"));

		// when
		JobHistory history = reads.seed(this.group, JOB);
		List<JobExecution> running = reads.running(this.group, JOB);

		// then one statement each on the tables, and the repository asked once for its newest instance
		assertThat(history.lastFinished().status()).isEqualTo(BatchStatus.FAILED);
		assertThat(running).hasSize(1);
		assertThat(statements.count()).isEqualTo(2);
		then(this.repository).should(times(1)).getJobInstances(JOB, 0, 1);
	}

	@Test
	void aSeedLeavesOutTheRunsInHandAsARefreshDoes() {
		List<JobExecution> saved = savedHistory();
		JobExecution lastFailure = saved.get(3);

		JobRepositoryReads.Seed seed = reads().seed(this.group, JOB,
				(execution) -> execution.getId() == lastFailure.getId());

		assertThat(seed.history().lastFinished().execution().getId()).isEqualTo(saved.get(2).getId());
		assertThat(seed.newestRunsRead()).isTrue();
	}

	@Test
	void aGroupsFirstStateDoesNotReadAgainTheRowsItsOwnSeedJustRead() {
		// given a group whose history is seeded by its first state
		savedHistory();
		StatementLog statements = new StatementLog(this.h2.database);
		GroupState state = new GroupState(this.group, JOB, new JobRepositoryReads(this.repository, this.resolver, 200,
				new JdbcStepExecutions(statements, "BATCH_")));
		JobSchedule schedule = new JobSchedule(Duration.ofSeconds(10), null);
		Instant first = Instant.now();

		// when its first state is built, then another within the progress interval
		state.state(first, schedule, (tracked) -> {
		});
		int firstStatements = statements.count();
		state.state(first.plusMillis(100), schedule, (tracked) -> {
		});

		// then the first reads the history once (its seed, counted as its refresh); the second does
		// not read it again
		assertThat(statements.since(0).subList(0, firstStatements))
			.filteredOn((sql) -> sql.contains("ORDER BY") && !sql.contains("STARTING"))
			.hasSize(1);
		assertThat(statements.since(firstStatements))
			.noneMatch((sql) -> sql.contains("ORDER BY") && !sql.contains("STARTING"));
	}

	@Test
	void aSeedReadAheadOfTheFirstPushIsNotTheFirstStatesRefresh() {
		// given a group whose history was seeded at the read-back ahead of its first push, which
		// runs as the job's start is held: a short job's end may come within the progress interval
		savedHistory();
		StatementLog statements = new StatementLog(this.h2.database);
		GroupState state = new GroupState(this.group, JOB, new JobRepositoryReads(this.repository, this.resolver, 200,
				new JdbcStepExecutions(statements, "BATCH_")));
		Instant readBack = Instant.now();
		JobSchedule schedule = new JobSchedule(Duration.ofSeconds(10), null);
		state.absorb(GroupOutcomes.NONE);
		int seeded = statements.count();

		// when its first state is built within the progress interval
		state.state(readBack.plusMillis(100), schedule, (tracked) -> {
		});

		// then it reads the repository's newest runs again: one another JVM ended since the
		// read-back is not left out of the push that replaces the group
		assertThat(seeded).isEqualTo(1);
		assertThat(statements.since(seeded)).anySatisfy(
				(sql) -> assertThat(sql).contains("ORDER BY").doesNotContain("STARTING"));
	}

	private JobRepositoryReads reads() {
		return new JobRepositoryReads(this.repository, this.resolver, 200, this.h2.tables());
	}

	/**
	 * Saves the job's executions, oldest first: a success, a failure and its restart to a success,
	 * a later failure, a running one.
	 */
	private List<JobExecution> savedHistory() {
		JobExecution success = this.h2.finished(this.h2.instance(JOB, "1"), "1", 0, BatchStatus.COMPLETED,
				"COMPLETED");
		JobInstance restarted = this.h2.instance(JOB, "2");
		JobExecution failure = this.h2.finished(restarted, "2", 100, BatchStatus.FAILED, "FAILED");
		JobExecution restart = this.h2.finished(restarted, "2", 200, BatchStatus.COMPLETED, "COMPLETED");
		JobExecution lastFailure = this.h2.finished(this.h2.instance(JOB, "3"), "3", 300, BatchStatus.FAILED,
				"FAILED");
		JobExecution running = this.h2.started(this.h2.instance(JOB, "4"), "4", 400);
		return List.of(success, failure, restart, lastFailure, running);
	}

	private static List<Object> run(JobHistory history) {
		FinishedRun run = history.lastFinished();
		return List.of(run.start(), run.end(), run.status(), run.exitCode(), run.execution().getId(),
				run.execution().getJobInstance().getInstanceId());
	}

}
