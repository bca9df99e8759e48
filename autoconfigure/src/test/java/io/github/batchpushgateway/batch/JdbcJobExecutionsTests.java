package io.github.batchpushgateway.batch;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link JdbcJobExecutions}, on a real JDBC job repository in an embedded H2 database.
 */
class JdbcJobExecutionsTests {

	private H2JobRepository h2;

	private JdbcJobExecutions executions;

	@BeforeEach
	void createRepository() throws Exception {
		this.h2 = new H2JobRepository();
		this.executions = this.h2.tables().jobExecutions();
	}

	@AfterEach
	void shutDown() {
		this.h2.close();
	}

	@Test
	void theNewestInstancesExecutionsAreReadNewestFirstUpToTheLimit() {
		// given three instances of the job, the second restarted, and another job's
		JobInstance first = this.h2.instance("importJob", "1");
		this.h2.finished(first, "1", 0, BatchStatus.COMPLETED, "COMPLETED");
		JobInstance second = this.h2.instance("importJob", "2");
		JobExecution failed = this.h2.finished(second, "2", 100, BatchStatus.FAILED, "FAILED");
		JobExecution restart = this.h2.finished(second, "2", 200, BatchStatus.COMPLETED, "DONE WITH WARNINGS");
		JobInstance third = this.h2.instance("importJob", "3");
		JobExecution running = this.h2.started(third, "3", 300);
		this.h2.finished(this.h2.instance("exportJob", "1"), "1", 400, BatchStatus.COMPLETED, "COMPLETED");

		// when
		List<JdbcJobExecutions.Columns> read = this.executions.ofNewestInstances("importJob", 2);

		// then
		assertThat(read).extracting(JobExecution::getId)
			.containsExactly(running.getId(), restart.getId(), failed.getId());
		JobExecution columns = read.get(1);
		assertThat(columns.getJobInstance().getInstanceId()).isEqualTo(second.getInstanceId());
		assertThat(columns.getJobInstance().getJobName()).isEqualTo("importJob");
		assertThat(columns.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(columns.getExitStatus().getExitCode()).isEqualTo("DONE WITH WARNINGS");
		assertThat(columns.getStartTime()).isEqualTo(H2JobRepository.BASE.plusSeconds(200));
		assertThat(columns.getEndTime()).isEqualTo(H2JobRepository.BASE.plusSeconds(210));
		assertThat(columns.getCreateTime()).isNotNull();
		assertThat(read.get(0).getStatus()).isEqualTo(BatchStatus.STARTED);
		assertThat(read.get(0).getEndTime()).isNull();
		assertThat(read.get(2).getExitStatus().getExitCode()).isEqualTo("FAILED");
	}

	@Test
	void aJobWithoutInstancesHasNoExecutions() {
		assertThat(this.executions.ofNewestInstances("importJob", 3)).isEmpty();
	}

	@Test
	void runningExecutionsAreReadWithTheirStepsLastSave() {
		// given a running execution whose step was saved after it, and a finished one
		JobExecution running = this.h2.started(this.h2.instance("gridJob", "1"), "1", 0);
		StepExecution step = this.h2.repository.createStepExecution("worker:partition0", running);
		step.setStatus(BatchStatus.STARTED);
		step.setStartTime(H2JobRepository.BASE);
		this.h2.repository.update(step);
		this.h2.finished(this.h2.instance("gridJob", "2"), "2", 100, BatchStatus.COMPLETED, "COMPLETED");
		JobExecution quiet = this.h2.started(this.h2.instance("gridJob", "3"), "3", 200);

		// when
		List<JdbcJobExecutions.Columns> read = this.executions.running("gridJob");

		// then
		assertThat(read).extracting(JobExecution::getId).containsExactlyInAnyOrder(running.getId(), quiet.getId());
		JobExecution withStep = read.stream().filter((execution) -> execution.getId() == running.getId()).findFirst()
			.orElseThrow();
		assertThat(withStep.getLastUpdated()).isEqualTo(step.getLastUpdated());
		assertThat(withStep.getStepExecutions()).isEmpty();
		JobExecution withoutStep = read.stream().filter((execution) -> execution.getId() == quiet.getId())
			.findFirst().orElseThrow();
		assertThat(withoutStep.getLastUpdated()).isEqualTo(quiet.getLastUpdated());
	}

	@Test
	void theTablePrefixIsHonoured() {
		JdbcJobExecutions elsewhere = new JdbcStepExecutions(new JdbcTemplate(this.h2.database), "OTHER_")
			.jobExecutions();

		assertThatExceptionOfType(BadSqlGrammarException.class)
			.isThrownBy(() -> elsewhere.ofNewestInstances("importJob", 1))
			.withMessageContaining("OTHER_JOB_EXECUTION");
		assertThatExceptionOfType(BadSqlGrammarException.class).isThrownBy(() -> elsewhere.running("importJob"))
			.withMessageContaining("OTHER_JOB_EXECUTION");
	}

}
