package io.github.batchpushgateway.example.gdpr.erasure;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.batchpushgateway.example.gdpr.metrics.ErasureRunStatistics;
import io.github.batchpushgateway.micrometer.BatchMeters;
import io.micrometer.core.instrument.Timer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

/**
 * Writer of the erase step: processes the requests of the chunk through {@link ChunkEraser},
 * all of them in the chunk's transaction (one commit per chunk, {@code gdpr.erasure.chunk-size}
 * subjects, the common case erased together with a few statements per table), then the chunk's
 * completed erasures verified ({@link ChunkVerification}) while their pages are in the
 * database's cache, their audit rows inserted as one JDBC batch at the end of the chunk
 * ({@link ErasureAudit#batched(Runnable)}), inside one savepoint so that a failed attempt
 * leaves nothing of the chunk behind before it is retried: a retry starts from the state
 * before the chunk, and a subject erased
 * earlier in the failed attempt is erased again, not taken for done. When the retries are
 * exhausted, Spring Batch writes the chunk's requests again one per transaction (scan), so a
 * subject that keeps failing is isolated and skipped while the others are erased. Database exceptions are
 * replaced by {@link TransientErasureException} (retried), {@link UnprocessableSubjectException}
 * (skipped) or {@link SubjectErasureException} (fails the step), all without the database's
 * message; they name the chunk's requests, which is one request when Spring Batch isolates a
 * failing subject.
 *
 * <p>Outcomes are counted once their chunk commits, and kept in the step's execution context
 * (counts only) so that a restarted step goes on counting where the crashed one stopped. The
 * time each committed request took is recorded then too, through the starter's
 * {@link BatchMeters}, as {@code gdpr_erasure_request_duration_seconds} of this execution: its
 * chunk's time divided by its requests, since they are processed together.
 */
public class SubjectErasureWriter implements ItemWriter<Long>, StepExecutionListener, ChunkListener<Long, Long> {

	private final ChunkEraser eraser;

	private final ChunkVerification verification;

	private final ErasureAudit audit;

	private static final Log logger = LogFactory.getLog(SubjectErasureWriter.class);

	private final TransactionTemplate savepoint;

	private final TransactionTemplate verificationSavepoint;

	static final String DURATION_METER = "gdpr.erasure.request.duration";

	private final ErasureRunStatistics statistics;

	private final BatchMeters meters;

	private final List<Processed> uncommitted = new ArrayList<>();

	private @Nullable StepExecution stepExecution;

	public SubjectErasureWriter(ChunkEraser eraser, ChunkVerification verification, ErasureAudit audit,
			PlatformTransactionManager transactionManager, ErasureRunStatistics statistics, BatchMeters meters) {
		Assert.notNull(eraser, "'eraser' must not be null");
		Assert.notNull(verification, "'verification' must not be null");
		Assert.notNull(audit, "'audit' must not be null");
		Assert.notNull(transactionManager, "'transactionManager' must not be null");
		Assert.notNull(statistics, "'statistics' must not be null");
		Assert.notNull(meters, "'meters' must not be null");
		this.eraser = eraser;
		this.verification = verification;
		this.audit = audit;
		this.savepoint = new TransactionTemplate(transactionManager);
		this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
		this.verificationSavepoint = new TransactionTemplate(transactionManager);
		this.verificationSavepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
		this.statistics = statistics;
		this.meters = meters;
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.stepExecution = stepExecution;
		this.statistics.restore(stepExecution.getExecutionContext());
	}

	@Override
	public void write(Chunk<? extends Long> requestIds) {
		Assert.state(this.stepExecution != null, "beforeStep has not been called");
		this.uncommitted.clear(); // a retried write starts over
		long jobExecutionId = this.stepExecution.getJobExecutionId();
		List<Long> ids = List.copyOf(requestIds.getItems());
		// the chunk's audit rows go in as one batch, inside the savepoint: a failed attempt leaves none
		this.savepoint.executeWithoutResult((status) -> this.audit.batched(() -> {
			long start = System.nanoTime();
			List<ErasureOutcome> outcomes = erase(ids, jobExecutionId);
			long share = (System.nanoTime() - start) / ids.size();
			outcomes.forEach((outcome) -> this.uncommitted.add(new Processed(outcome, share)));
		}));
	}

	private List<ErasureOutcome> erase(List<Long> requestIds, long jobExecutionId) {
		try {
			List<ErasureOutcome> outcomes = this.eraser.erase(requestIds, jobExecutionId);
			// in the chunk's savepoint: a chunk retried or written again one request at a time is
			// verified again
			verify(requestIds);
			return outcomes;
		}
		catch (TransientDataAccessException ex) {
			throw new TransientErasureException(requestIds, ErrorCodes.of(ex));
		}
		catch (DataIntegrityViolationException ex) {
			throw new UnprocessableSubjectException(requestIds, ErrorCodes.of(ex));
		}
		catch (DataAccessException ex) {
			throw new SubjectErasureException(requestIds, ErrorCodes.of(ex));
		}
	}

	/**
	 * Verifies the chunk's completed erasures in a savepoint of their own. A transient error
	 * retries the chunk, as one of the erasure does; any other error rolls the verification back
	 * alone and leaves the requests to {@code verifyErasure}, which fails the job when they
	 * cannot be verified there either: a verification that cannot be made (a confirmation that
	 * cannot be stored, say) must not undo or skip the erasures it was to check.
	 */
	private void verify(List<Long> requestIds) {
		try {
			this.verificationSavepoint
				.executeWithoutResult((status) -> this.verification.verifyCompleted(requestIds));
		}
		catch (TransientDataAccessException ex) {
			throw ex;
		}
		catch (DataAccessException ex) {
			logger.warn("Verification of " + SubjectErasureException.describe(requestIds) + " in the erase step failed ("
					+ ErrorCodes.of(ex) + "); left to verifyErasure");
		}
	}

	@Override
	public void beforeChunk(Chunk<Long> chunk) {
		this.uncommitted.clear();
	}

	@Override
	public void afterChunk(Chunk<Long> chunk) {
		// runs inside the chunk's transaction, just before the execution context is saved
		for (Processed processed : this.uncommitted) {
			this.statistics.count(processed.outcome());
			Timer.builder(DURATION_METER)
				.description("Time this execution took to process one erasure request (checks, then erasure and its "
						+ "verification, hold or refusal; its chunk's time divided by its requests), for requests whose "
						+ "chunk committed.")
				.register(this.meters.registry())
				.record(processed.nanos(), TimeUnit.NANOSECONDS);
		}
		this.uncommitted.clear();
		if (this.stepExecution != null) {
			this.statistics.saveTo(this.stepExecution.getExecutionContext());
		}
	}

	@Override
	public void onChunkError(Exception exception, Chunk<Long> chunk) {
		this.uncommitted.clear();
	}

	/**
	 * A request the chunk processed, and how long it took.
	 */
	private record Processed(ErasureOutcome outcome, long nanos) {
	}

}
