package io.github.batchpushgateway.batch;

import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.JdbcJobRepositoryFactoryBean;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabase;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * A real JDBC job repository in an embedded H2 database of its own, as Spring Boot's default
 * batch application has, with helpers that save executions through it.
 */
final class H2JobRepository implements AutoCloseable {

	/** A second apart: the repository keeps times to the millisecond, H2 as given. */
	static final LocalDateTime BASE = LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS).minusDays(1);

	final EmbeddedDatabase database;

	final JobRepository repository;

	H2JobRepository() throws Exception {
		this.database = new EmbeddedDatabaseBuilder().generateUniqueName(true)
			.setType(EmbeddedDatabaseType.H2)
			.addScript("/org/springframework/batch/core/schema-h2.sql")
			.build();
		JdbcJobRepositoryFactoryBean factory = new JdbcJobRepositoryFactoryBean();
		factory.setDataSource(this.database);
		factory.setTransactionManager(new JdbcTransactionManager(this.database));
		factory.afterPropertiesSet();
		this.repository = factory.getObject();
	}

	/** The reads of this database's tables, as the auto-configuration makes them. */
	JdbcStepExecutions tables() {
		return new JdbcStepExecutions(new JdbcTemplate(this.database), "BATCH_");
	}

	/** A new instance of the job, its parameter {@code run} telling it from the others. */
	JobInstance instance(String jobName, String run) {
		return this.repository.createJobInstance(jobName, parameters(run));
	}

	/** An execution of the instance, started at the given second after {@link #BASE}, running. */
	JobExecution started(JobInstance instance, String run, int second) {
		JobExecution execution = this.repository.createJobExecution(instance, parameters(run), new ExecutionContext());
		execution.setStartTime(BASE.plusSeconds(second));
		execution.setStatus(BatchStatus.STARTED);
		this.repository.update(execution);
		return execution;
	}

	/** An execution of the instance that ran from the given second for ten seconds. */
	JobExecution finished(JobInstance instance, String run, int second, BatchStatus status, String exitCode) {
		JobExecution execution = started(instance, run, second);
		execution.setStatus(status);
		execution.setExitStatus(new ExitStatus(exitCode));
		execution.setEndTime(BASE.plusSeconds(second + 10));
		this.repository.update(execution);
		return execution;
	}

	private static JobParameters parameters(String run) {
		return new JobParametersBuilder().addString("run", run).toJobParameters();
	}

	@Override
	public void close() {
		this.database.shutdown();
	}

}
