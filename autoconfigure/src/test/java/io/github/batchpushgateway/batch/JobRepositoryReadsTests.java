package io.github.batchpushgateway.batch;

import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import io.github.batchpushgateway.metrics.StepSample;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.BadSqlGrammarException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;

/**
 * Tests for {@link JobRepositoryReads}, with a mocked job repository. Histories read through it
 * are tested with {@link GroupState}.
 */
class JobRepositoryReadsTests {

	private final JobRepository repository = mock(JobRepository.class);

	private final JobRepositoryReads records = new JobRepositoryReads(this.repository,
			new PushGroupResolver(Map.of(), List.of()), 0);

	@Test
	void theRepositorysCopyOfTheExecutionIsReturned() {
		JobExecution execution = Executions.running("importJob");
		JobExecution stored = Executions.copyOf(execution);
		given(this.repository.getJobExecution(execution.getId())).willReturn(stored);

		assertThat(this.records.available()).isTrue();
		assertThat(this.records.of(execution)).isSameAs(stored);
	}

	@Test
	void anotherExecutionUnderTheSameIdIsNotItsCopy() {
		// the resourceless repository gives every execution the same id and returns its latest
		JobExecution execution = Executions.running("importJob");
		JobExecution other = Executions.running("exportJob");
		given(this.repository.getJobExecution(execution.getId())).willReturn(other);

		assertThat(this.records.of(execution)).isNull();
	}

	@Test
	void aLaterRunOfTheSameInstanceIsNotItsCopy() {
		JobExecution execution = Executions.running("importJob");
		JobExecution restart = Executions.copyOf(execution);
		restart.setStartTime(LocalDateTime.now().plusMinutes(5));
		given(this.repository.getJobExecution(execution.getId())).willReturn(restart);

		assertThat(this.records.of(execution)).isNull();
	}

	@Test
	void aRepositoryThatCannotBeReadSaysSoOrRecordsNothingWhenAskedIfReadable() {
		JobExecution execution = Executions.running("importJob");
		given(this.repository.getJobExecution(execution.getId()))
			.willThrow(new DataAccessResourceFailureException("database gone"));

		assertThatExceptionOfType(DataAccessResourceFailureException.class).isThrownBy(() -> this.records.of(execution));
		assertThat(this.records.ofIfReadable(execution)).isNull();
	}

	@Test
	void stepsAreReadInOneStatementWhereTheRepositoryIsJdbc() {
		JdbcStepExecutions jdbc = mock(JdbcStepExecutions.class);
		JobExecution execution = Executions.running("gridJob");
		StepSample step = StepSample.of(Executions.step(execution, "manager"));
		given(jdbc.of(execution.getId())).willReturn(Map.of(step.id(), step));

		Map<Long, StepSample> steps = new JobRepositoryReads(this.repository,
				new PushGroupResolver(Map.of(), List.of()), 0, jdbc)
			.stepsOf(execution);

		assertThat(steps).containsExactly(entry(step.id(), step));
		then(this.repository).shouldHaveNoInteractions();
	}

	@Test
	void stepsTheStatementCannotReadAreReadThroughTheRepository() {
		// a job repository on another database, or with another table prefix
		JdbcStepExecutions jdbc = mock(JdbcStepExecutions.class);
		JobExecution execution = Executions.running("gridJob");
		given(jdbc.of(execution.getId())).willThrow(new BadSqlGrammarException("read", "SELECT", new SQLException()));
		JobExecution stored = Executions.copyOf(execution);
		StepExecution partition = Executions.step(stored, "worker:partition0");
		partition.setWriteCount(42);
		given(this.repository.getJobExecution(execution.getId())).willReturn(stored);

		Map<Long, StepSample> steps = new JobRepositoryReads(this.repository,
				new PushGroupResolver(Map.of(), List.of()), 0, jdbc)
			.stepsOf(execution);

		assertThat(steps).containsOnlyKeys(partition.getId());
		assertThat(steps.get(partition.getId()).written()).isEqualTo(42);
	}

	@Test
	void aStatementOnADataSourceThatIsNotTheRepositorysIsGivenUpForTheRepository() {
		// the application's primary database holds Spring Batch tables too, but not this execution's
		JdbcStepExecutions jdbc = mock(JdbcStepExecutions.class);
		JobExecution execution = Executions.running("gridJob");
		Executions.partition(execution, "worker:partition0");
		given(jdbc.of(execution.getId())).willReturn(Map.of());
		JobExecution stored = Executions.copyOf(execution);
		StepExecution partition = Executions.step(stored, "worker:partition0");
		given(this.repository.getJobExecution(execution.getId())).willReturn(stored);
		JobRepositoryReads reads = new JobRepositoryReads(this.repository, new PushGroupResolver(Map.of(), List.of()),
				0, jdbc);

		Map<Long, StepSample> first = reads.stepsOf(execution);
		reads.stepsOf(execution);

		assertThat(first).containsKey(partition.getId());
		then(jdbc).should(times(1)).of(execution.getId());
	}

	@Test
	void withoutARepositoryNothingIsKnown() {
		JobRepositoryReads none = new JobRepositoryReads(null, new PushGroupResolver(Map.of(), List.of()), 0);

		assertThat(none.available()).isFalse();
		assertThat(none.of(Executions.running("importJob"))).isNull();
		assertThat(none.stepsOf(Executions.running("importJob"))).isEmpty();
	}

}
