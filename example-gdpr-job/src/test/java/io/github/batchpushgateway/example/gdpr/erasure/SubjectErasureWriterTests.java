package io.github.batchpushgateway.example.gdpr.erasure;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.github.batchpushgateway.example.gdpr.KeptAuditTotals;
import io.github.batchpushgateway.example.gdpr.metrics.ErasureRunStatistics;
import io.github.batchpushgateway.example.gdpr.metrics.ErasureRunStatistics.Outcome;
import io.github.batchpushgateway.micrometer.BatchMeters;
import io.micrometer.core.instrument.Timer;
import org.h2.jdbcx.JdbcDataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;

/**
 * {@link SubjectErasureWriter} counts a request's outcome and records the time it took in the
 * execution's {@link BatchMeters} once its chunk commits, and neither for a chunk that fails.
 */
class SubjectErasureWriterTests {

	private final ChunkEraser eraser = mock(ChunkEraser.class);

	private final ErasureRunStatistics statistics = new ErasureRunStatistics();

	private final BatchMeters meters = new BatchMeters((execution) -> true);

	private final ChunkVerification verification = mock(ChunkVerification.class);

	// a real transaction manager: the writer takes savepoints, which a resourceless one has not
	private final SubjectErasureWriter writer = new SubjectErasureWriter(this.eraser, this.verification,
			new ErasureAudit(new JdbcTemplate(), Clock.systemUTC()), new JdbcTransactionManager(inMemoryDatabase()),
			this.statistics, this.meters);

	private static JdbcDataSource inMemoryDatabase() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:mem:writer-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		return dataSource;
	}

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
		given(this.eraser.erase(eq(List.of(11L)), anyLong())).willReturn(List.of(ErasureOutcome.COMPLETED));
		given(this.eraser.erase(eq(List.of(12L)), anyLong())).willReturn(List.of(ErasureOutcome.ON_HOLD));

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
	void theChunksRequestsAreVerifiedAfterTheirErasureEachTimeTheChunkIsWritten() {
		// given
		startStep(1);
		given(this.eraser.erase(eq(List.of(11L, 12L)), anyLong()))
			.willReturn(List.of(ErasureOutcome.COMPLETED, ErasureOutcome.ON_HOLD));

		// when: written, rolled back by a retry, written again
		this.writer.beforeChunk(Chunk.of(11L, 12L));
		this.writer.write(Chunk.of(11L, 12L));
		this.writer.write(Chunk.of(11L, 12L));

		// then
		InOrder inOrder = inOrder(this.eraser, this.verification);
		for (int write = 0; write < 2; write++) {
			inOrder.verify(this.eraser).erase(eq(List.of(11L, 12L)), anyLong());
			inOrder.verify(this.verification).verifyCompleted(List.of(11L, 12L));
		}
	}

	@Test
	void aFailedVerificationFailsTheChunkAsAFailedErasureDoes() {
		// given
		StepExecution run = startStep(1);
		given(this.eraser.erase(eq(List.of(11L)), anyLong())).willReturn(List.of(ErasureOutcome.COMPLETED));
		willThrow(new TransientDataAccessResourceException("lock")).given(this.verification)
			.verifyCompleted(List.of(11L));

		// when
		this.writer.beforeChunk(Chunk.of(11L));
		assertThatExceptionOfType(TransientErasureException.class).isThrownBy(() -> this.writer.write(Chunk.of(11L)))
			.withMessageNotContaining("lock");
		this.writer.onChunkError(new TransientErasureException(List.of(11L), "lock"), Chunk.of(11L));

		// then
		assertThat(durations(run)).isNull();
		assertThat(this.statistics.snapshot()).containsEntry(Outcome.COMPLETED, 0L);
	}

	@Test
	void aVerificationThatCannotBeMadeLeavesTheErasureToCommitAndTheRequestsToVerifyErasure() {
		// given: the requester's confirmation cannot be stored
		StepExecution run = startStep(1);
		given(this.eraser.erase(eq(List.of(11L)), anyLong())).willReturn(List.of(ErasureOutcome.COMPLETED));
		willThrow(new DataIntegrityViolationException("value too long")).given(this.verification)
			.verifyCompleted(List.of(11L));

		// when
		writeAndCommit(11L);

		// then: erased and counted, neither skipped nor failed
		assertThat(durations(run).count()).isOne();
		assertThat(this.statistics.snapshot()).containsEntry(Outcome.COMPLETED, 1L);
	}

	@Test
	void requestOfAFailedChunkIsNeitherCountedNorTimed() {
		// given
		StepExecution run = startStep(1);
		given(this.eraser.erase(eq(List.of(11L)), anyLong())).willReturn(List.of(ErasureOutcome.COMPLETED));

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
		SubjectErasureWriter writer = new SubjectErasureWriter(this.eraser, this.verification, audit(jdbc), transactionManager,
				this.statistics, this.meters);
		StepExecution run = new StepExecution("eraseSubjects",
				new JobExecution(1L, new JobInstance(1L, "gdprErasureJob"), new JobParameters()));
		StepSynchronizationManager.register(run);
		writer.beforeStep(run);
		given(this.eraser.erase(eq(List.of(11L, 12L)), anyLong())).willAnswer((invocation) -> {
			jdbc.update("INSERT INTO erased VALUES (11)");
			throw new TransientDataAccessResourceException("lock");
		});

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
		given(this.eraser.erase(eq(List.of(11L)), anyLong())).willReturn(List.of(ErasureOutcome.COMPLETED));

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
		given(this.eraser.erase(anyList(), anyLong())).willReturn(List.of(ErasureOutcome.COMPLETED));
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

	@Test
	void auditRowsOfAChunkAreInsertedTogetherAtItsEndAndNotAtAllWhenItFails() {
		// given: a real database with the job's schema; each erasure records one audit row
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:mem:writer-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		new ResourceDatabasePopulator(new ClassPathResource("schema.sql")).execute(dataSource);
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		JdbcTransactionManager transactionManager = new JdbcTransactionManager(dataSource);
		ErasureAudit audit = audit(jdbc);
		SubjectErasureWriter writer = new SubjectErasureWriter(this.eraser, this.verification, audit, transactionManager,
				this.statistics, this.meters);
		StepExecution run = new StepExecution("eraseSubjects",
				new JobExecution(1L, new JobInstance(1L, "gdprErasureJob"), new JobParameters()));
		StepSynchronizationManager.register(run);
		writer.beforeStep(run);
		given(this.eraser.erase(anyList(), anyLong())).willAnswer((invocation) -> {
			List<Long> requests = invocation.getArgument(0);
			for (long request : requests) {
				// what the chunk has written so far, as the eraser's own statements see it
				int visible = jdbc.queryForObject("SELECT COUNT(*) FROM erasure_audit", Integer.class);
				audit.record(request, "customer", AuditAction.DELETED, visible, ErasureAudit.ERASURE, 1L);
				if (request == 13L) {
					throw new TransientDataAccessResourceException("lock");
				}
			}
			return requests.stream().map((request) -> ErasureOutcome.COMPLETED).toList();
		});

		// when: a chunk of two subjects, then one whose last subject fails
		new TransactionTemplate(transactionManager).executeWithoutResult((status) -> {
			writer.beforeChunk(Chunk.of(11L, 12L));
			writer.write(Chunk.of(11L, 12L));
			writer.afterChunk(Chunk.of(11L, 12L));
		});
		new TransactionTemplate(transactionManager).executeWithoutResult((status) -> {
			writer.beforeChunk(Chunk.of(14L, 13L));
			assertThatExceptionOfType(TransientErasureException.class)
				.isThrownBy(() -> writer.write(Chunk.of(14L, 13L)));
		});

		// then: one row per subject of the committed chunk, none inserted before the chunk's end
		// (each saw none written), and nothing of the failed chunk
		assertThat(jdbc.queryForList("SELECT request_id, row_count FROM erasure_audit ORDER BY id"))
			.containsExactly(Map.of("REQUEST_ID", 11L, "ROW_COUNT", 0), Map.of("REQUEST_ID", 12L, "ROW_COUNT", 0));
		KeptAuditTotals.assertEqualToAuditRows(JdbcClient.create(dataSource));
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

	private static ErasureAudit audit(JdbcTemplate jdbc) {
		return new ErasureAudit(jdbc, Clock.systemUTC());
	}

	private @Nullable Timer durations(StepExecution run) {
		return this.meters.registry(run.getJobExecution()).find(SubjectErasureWriter.DURATION_METER).timer();
	}

}
