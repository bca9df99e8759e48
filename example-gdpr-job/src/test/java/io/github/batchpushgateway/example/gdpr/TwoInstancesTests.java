package io.github.batchpushgateway.example.gdpr;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDateTime;

import javax.sql.DataSource;

import io.github.batchpushgateway.example.gdpr.job.ConcurrentRunException;
import io.github.batchpushgateway.example.gdpr.job.InterruptedRunRecovery;
import io.github.batchpushgateway.example.gdpr.job.JobRunLock;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Two instances on one database: the second finds the first's run lock held, stops before it
 * touches anything and leaves the first's live execution alone; an execution left running
 * while nobody holds the lock is provably orphaned and recovered. The other instance is a
 * second connection holding the lock, as another process's would.
 */
class TwoInstancesTests extends ErasureJobTestSupport {

	@Autowired
	DataSource dataSource;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	JobRunLock lock;

	@Autowired
	InterruptedRunRecovery recovery;

	@Test
	void secondInstanceStopsWithoutTouchingTheFirstInstancesLiveExecution() throws Exception {
		// given: another instance is running
		JobExecution live = this.jobRepository.getJobExecution(executionMarkedRunning("another"));
		try (Connection otherInstance = lockHeldByAnotherInstance()) {
			// when this one starts
			assertThatExceptionOfType(ConcurrentRunException.class).isThrownBy(() -> this.lock.run(null))
				.satisfies((ex) -> assertThat(ex.getExitCode()).isEqualTo(75));
			this.recovery.run(null);

			// then
			assertThat(this.lock.isHeld()).isFalse();
			assertThat(this.jobRepository.getJobExecution(live.getId()).getStatus()).isEqualTo(BatchStatus.STARTED);
			otherInstance.rollback();
		}
		finally {
			// the other instance ends its run
			live.setStatus(BatchStatus.COMPLETED);
			live.setEndTime(LocalDateTime.now());
			this.jobRepository.update(live);
		}
	}

	@Test
	void executionLeftRunningWhileNobodyHoldsTheLockIsRecovered() {
		// given: the process that ran it is gone, and its connection with it
		long orphaned = executionMarkedRunning("another");

		// when
		this.recovery.run(null);

		// then
		assertThat(this.jobRepository.getJobExecution(orphaned).getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(this.lock.isHeld()).as("released after recovering, when taken for it").isFalse();
	}

	@Test
	void lockIsHeldByOneInstanceAtATimeAndFreeAgainOnceReleased() {
		// given
		JobRunLock first = new JobRunLock(this.dataSource, jobName());
		JobRunLock second = new JobRunLock(this.dataSource, jobName());
		try {
			// when / then
			assertThat(first.tryAcquire()).isTrue();
			assertThat(second.tryAcquire()).isFalse();
			first.release();
			assertThat(second.tryAcquire()).isTrue();
		}
		finally {
			first.release();
			second.release();
		}
	}

	private Connection lockHeldByAnotherInstance() throws Exception {
		Connection connection = this.dataSource.getConnection();
		connection.setAutoCommit(false);
		try (PreparedStatement statement = connection
			.prepareStatement("SELECT job_name FROM job_run_lock WHERE job_name = ? FOR UPDATE")) {
			statement.setString(1, jobName());
			assertThat(statement.executeQuery().next()).isTrue();
		}
		return connection;
	}

	/**
	 * Returns the id, not the execution: {@code @SpringBatchTest} takes any method of the test
	 * returning a {@code JobExecution} for the factory of its job scope.
	 */
	private long executionMarkedRunning(String owner) {
		JobParameters parameters = new JobParametersBuilder()
			.addLong("run.id", 5000L + this.shop.count("SELECT COUNT(*) FROM BATCH_JOB_INSTANCE"))
			.addString("owner", owner)
			.toJobParameters();
		JobInstance instance = this.jobRepository.createJobInstance(jobName(), parameters);
		JobExecution execution = this.jobRepository.createJobExecution(instance, parameters, new ExecutionContext());
		execution.setStatus(BatchStatus.STARTED);
		execution.setStartTime(LocalDateTime.now());
		this.jobRepository.update(execution);
		return execution.getId();
	}

}
