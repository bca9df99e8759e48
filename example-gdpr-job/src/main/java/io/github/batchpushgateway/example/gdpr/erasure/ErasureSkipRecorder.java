package io.github.batchpushgateway.example.gdpr.erasure;

import io.github.batchpushgateway.example.gdpr.metrics.ErasureRunStatistics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.listener.SkipListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

/**
 * Records a skipped subject (its own data breaks the erasure, or a transient error outlasted
 * the retries): its request becomes {@link RequestStatus#FAILED FAILED} with the error code
 * and one more attempt (so {@code gdpr.erasure.max-attempts} caps how often it is tried), in a transaction of its own (the chunk's transaction is rolled back after a
 * skip), so the skip is visible in the database, the logs (request id and code only) and the
 * metrics, and later runs pick the request up again.
 */
public class ErasureSkipRecorder implements SkipListener<Long, Long> {

	private static final Log logger = LogFactory.getLog(ErasureSkipRecorder.class);

	private final JdbcClient jdbc;

	private final TransactionTemplate newTransaction;

	private final ErasureRunStatistics statistics;

	public ErasureSkipRecorder(JdbcClient jdbc, PlatformTransactionManager transactionManager,
			ErasureRunStatistics statistics) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		Assert.notNull(transactionManager, "'transactionManager' must not be null");
		Assert.notNull(statistics, "'statistics' must not be null");
		this.jdbc = jdbc;
		this.newTransaction = new TransactionTemplate(transactionManager);
		this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.statistics = statistics;
	}

	@Override
	public void onSkipInWrite(Long requestId, Throwable failure) {
		String errorCode = errorCode(failure);
		this.newTransaction.executeWithoutResult((status) -> this.jdbc.sql("""
				UPDATE erasure_request SET status = 'FAILED', error_code = ?, attempts = attempts + 1
				WHERE id = ? AND status IN ('VERIFIED', 'ON_HOLD', 'FAILED')""").params(errorCode, requestId).update());
		this.statistics.countFailed();
		logger.warn("Skipped erasure request " + requestId + " (" + errorCode + "): set to FAILED, other subjects go on");
	}

	private static String errorCode(Throwable failure) {
		if (failure instanceof SubjectErasureException erasure) {
			return erasure.getErrorCode();
		}
		if (failure instanceof TransientErasureException transientFailure) {
			return transientFailure.getErrorCode();
		}
		return failure.getClass().getSimpleName();
	}

}
