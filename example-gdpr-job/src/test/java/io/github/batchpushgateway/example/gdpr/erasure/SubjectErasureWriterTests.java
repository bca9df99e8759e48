package io.github.batchpushgateway.example.gdpr.erasure;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.github.batchpushgateway.example.gdpr.metrics.ErasureRunStatistics;
import io.github.batchpushgateway.example.gdpr.metrics.ErasureRunStatistics.Outcome;
import io.github.batchpushgateway.micrometer.BatchMeters;
import io.micrometer.core.instrument.Timer;
import org.h2.jdbcx.JdbcDataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * {@link SubjectErasureWriter} counts a request's outcome and records the time it took in the
 * execution's {@link BatchMeters} once its chunk commits, and neither for a chunk that fails.
 */
class SubjectErasureWriterTests {

	private final SubjectEraser eraser = mock(SubjectEraser.class);

	private final ErasureRunStatistics statistics = new ErasureRunStatistics();

	private final BatchMeters meters = new BatchMeters((execution) -> true);

	private final SubjectErasureWriter writer = new SubjectErasureWriter(this.eraser,
			new ResourcelessTransactionManager(), this.statistics, this.meters);

	@AfterEach
	void releaseStepContexts() {
		while (StepSynchronizationManager.getContext() != null) {
			StepSynchronizationManager.release();
		}
	}

	@Test
	void committedRequestIsCountedAndTimedInItsExecution() {
		// given
		StepExecution run = startStep(1);
		given(this.eraser.erase(eq(11L), anyLong())).willReturn(ErasureOutcome.COMPLETED);
		given(this.eraser.erase(eq(12L), anyLong())).willReturn(ErasureOutcome.ON_HOLD);

		// when
		writeAndCommit(11L);
		writeAndCommit(12L);

		// then
		Timer timer = durations(run);
		assertThat(timer).isNotNull();
		assertThat(timer.count()).isEqualTo(2);
		assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).isPositive();
		assertThat(this.statistics.snapshot()).containsEntry(Outcome.COMPLETED, 1L).containsEntry(Outcome.ON_HOLD, 1L);
	}

	@Test
	void requestOfAFailedChunkIsNeitherCountedNorTimed() {
		// given
		StepExecution run = startStep(1);
		given(this.eraser.erase(eq(11L), anyLong())).willReturn(ErasureOutcome.COMPLETED);

		// when: erased, but the chunk's transaction then fails
		this.writer.beforeChunk(Chunk.of(11L));
		this.writer.write(Chunk.of(11L));
		this.writer.onChunkError(new IllegalStateException("commit failed"), Chunk.of(11L));

		// then
		assertThat(durations(run)).isNull();
		assertThat(this.statistics.snapshot()).containsEntry(Outcome.COMPLETED, 0L);
	}

	@Test
	void failureOfOneSubjectRollsBackTheWholeChunkSoThatItsRetryStartsOver() {
		// given: a chunk of two subjects in a real transaction; the second one's erasure fails
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:mem:writer-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		jdbc.execute("CREATE TABLE erased (request_id BIGINT)");
		JdbcTransactionManager transactionManager = new JdbcTransactionManager(dataSource);
		SubjectErasureWriter writer = new SubjectErasureWriter(this.eraser, transactionManager, this.statistics,
				this.meters);
		StepExecution run = new StepExecution("eraseSubjects",
				new JobExecution(1L, new JobInstance(1L, "gdprErasureJob"), new JobParameters()));
		StepSynchronizationManager.register(run);
		writer.beforeStep(run);
		given(this.eraser.erase(eq(11L), anyLong())).willAnswer((invocation) -> {
			jdbc.update("INSERT INTO erased VALUES (11)");
			return ErasureOutcome.COMPLETED;
		});
		given(this.eraser.erase(eq(12L), anyLong())).willThrow(new TransientDataAccessResourceException("lock"));

		// when: written in the chunk's transaction
		Integer erasedAfterFailure = new TransactionTemplate(transactionManager).execute((status) -> {
			writer.beforeChunk(Chunk.of(11L, 12L));
			assertThatExceptionOfType(TransientErasureException.class)
				.isThrownBy(() -> writer.write(Chunk.of(11L, 12L)));
			return jdbc.queryForObject("SELECT COUNT(*) FROM erased", Integer.class);
		});

		// then: nothing of the first subject is left for the retry to take as done
		assertThat(erasedAfterFailure).isZero();
		assertThat(this.statistics.snapshot()).containsEntry(Outcome.COMPLETED, 0L);
	}

	@Test
	void retriedWriteIsTimedOnce() {
		// given
		StepExecution run = startStep(1);
		given(this.eraser.erase(eq(11L), anyLong())).willReturn(ErasureOutcome.COMPLETED);

		// when: written, rolled back by a retry, written again, committed
		this.writer.beforeChunk(Chunk.of(11L));
		this.writer.write(Chunk.of(11L));
		this.writer.write(Chunk.of(11L));
		this.writer.afterChunk(Chunk.of(11L));

		// then
		assertThat(durations(run).count()).isOne();
	}

	@Test
	void nextExecutionStartsFromZero() {
		// given
		given(this.eraser.erase(anyLong(), anyLong())).willReturn(ErasureOutcome.COMPLETED);
		StepExecution first = startStep(1);
		writeAndCommit(11L);
		writeAndCommit(12L);
		StepSynchronizationManager.release();

		// when
		StepExecution next = startStep(2);
		writeAndCommit(13L);

		// then
		assertThat(durations(first).count()).isEqualTo(2);
		assertThat(durations(next).count()).isOne();
	}

	/**
	 * Starts the erase step of a job execution of its own, on this thread.
	 */
	private StepExecution startStep(long execution) {
		StepExecution step = new StepExecution("eraseSubjects",
				new JobExecution(execution, new JobInstance(execution, "gdprErasureJob"), new JobParameters()));
		StepSynchronizationManager.register(step);
		this.writer.beforeStep(step);
		return step;
	}

	private void writeAndCommit(long requestId) {
		this.writer.beforeChunk(Chunk.of(requestId));
		this.writer.write(Chunk.of(requestId));
		this.writer.afterChunk(Chunk.of(requestId));
	}

	private @Nullable Timer durations(StepExecution run) {
		return this.meters.registry(run.getJobExecution()).find(SubjectErasureWriter.DURATION_METER).timer();
	}

}
