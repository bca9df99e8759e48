package io.github.batchpushgateway.batch;

import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import io.github.batchpushgateway.metrics.StepSample;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;

/**
 * Tests for {@link JdbcStepExecutions}, on a real JDBC job repository in an embedded H2 database.
 */
class JdbcStepExecutionsTests {

	private H2JobRepository h2;

	private JobRepository repository;

	@BeforeEach
	void createRepository() throws Exception {
		this.h2 = new H2JobRepository();
		this.repository = this.h2.repository;
	}

	@AfterEach
	void shutDown() {
		this.h2.close();
	}

	@Test
	void everyStepOfAnExecutionIsReadAsSaved() {
		// given a job execution with a manager step and two partitions a worker saved
		JobInstance instance = this.repository.createJobInstance("gridJob", new JobParameters());
		JobExecution execution = this.repository.createJobExecution(instance, new JobParameters(),
				new ExecutionContext());
		StepExecution manager = this.repository.createStepExecution("manager", execution);
		StepExecution running = this.repository.createStepExecution("worker:partition0", execution);
		StepExecution done = this.repository.createStepExecution("worker:partition1", execution);
		LocalDateTime start = LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS);
		running.setStatus(BatchStatus.STARTED);
		running.setStartTime(start);
		running.setReadCount(120);
		running.setWriteCount(110);
		running.setFilterCount(10);
		running.setCommitCount(12);
		running.setRollbackCount(1);
		running.setProcessSkipCount(2);
		this.repository.update(running);
		done.setStatus(BatchStatus.COMPLETED);
		done.setStartTime(start);
		done.setEndTime(start.plusSeconds(30));
		done.setWriteCount(500);
		this.repository.update(done);

		// when
		Map<Long, StepSample> steps = this.h2.tables().of(execution.getId());

		// then
		assertThat(steps).containsOnlyKeys(manager.getId(), running.getId(), done.getId());
		StepSample partition = steps.get(running.getId());
		assertThat(partition.name()).isEqualTo("worker:partition0");
		assertThat(partition.status()).isEqualTo(BatchStatus.STARTED);
		assertThat(partition.start()).isEqualTo(start);
		assertThat(partition.end()).isNull();
		assertThat(partition.lastUpdated()).isNotNull();
		assertThat(partition.read()).isEqualTo(120);
		assertThat(partition.written()).isEqualTo(110);
		assertThat(partition.filtered()).isEqualTo(10);
		assertThat(partition.commits()).isEqualTo(12);
		assertThat(partition.rollbacks()).isEqualTo(1);
		assertThat(partition.processSkips()).isEqualTo(2);
		assertThat(steps.get(done.getId()).status()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(steps.get(done.getId()).end()).isEqualTo(start.plusSeconds(30));
		assertThat(steps.get(manager.getId()).status()).isEqualTo(BatchStatus.STARTING);
	}

	@Test
	void theTablePrefixIsHonoured() {
		JdbcStepExecutions elsewhere = new JdbcStepExecutions(new JdbcTemplate(this.h2.database), "OTHER_");

		assertThatExceptionOfType(BadSqlGrammarException.class).isThrownBy(() -> elsewhere.of(1L))
			.withMessageContaining("OTHER_STEP_EXECUTION");
	}

	@Test
	void allStepsAreReadInOneStatement() {
		JdbcOperations jdbc = mock(JdbcOperations.class);

		new JdbcStepExecutions(jdbc, "BATCH_").of(7L);

		then(jdbc).should(times(1)).query(anyString(), any(RowCallbackHandler.class), eq(7L));
		then(jdbc).shouldHaveNoMoreInteractions();
	}

}
