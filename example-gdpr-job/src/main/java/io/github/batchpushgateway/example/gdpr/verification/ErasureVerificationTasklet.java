package io.github.batchpushgateway.example.gdpr.verification;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.batchpushgateway.example.gdpr.metrics.ErasureRunStatistics;
import io.github.batchpushgateway.example.gdpr.verification.ErasureVerifier.CompletedErasure;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

/**
 * Checks every completed erasure not verified yet (GDPR Art. 5(2): the controller must be able
 * to demonstrate compliance) with {@link ErasureVerifier}. The erase step verifies each chunk
 * as it erases it ({@link io.github.batchpushgateway.example.gdpr.erasure.ChunkVerification}),
 * so what this step finds is what that left: requests with residual data, and those a crash
 * left completed between the two. A request without residual data gets {@code verified_at}
 * and its requester's confirmation; one with residual data goes to {@code FAILED} with
 * {@code RESIDUAL_DATA} (the next run erases it again), no confirmation is queued, and the
 * step then fails the job.
 *
 * <p>Each group of {@code requestsPerTransaction} requests is committed on its own, each
 * verification with its confirmation: a crash keeps the verifications done so far, and the
 * next run verifies the rest.
 */
public class ErasureVerificationTasklet implements Tasklet {

	private static final Log logger = LogFactory.getLog(ErasureVerificationTasklet.class);

	private final JdbcClient jdbc;

	private final ErasureVerifier verifier;

	private final TransactionTemplate ownTransaction;

	private final ErasureRunStatistics statistics;

	private final JobRepository jobRepository;

	private final int requestsPerTransaction;

	public ErasureVerificationTasklet(JdbcClient jdbc, ErasureVerifier verifier,
			PlatformTransactionManager transactionManager, ErasureRunStatistics statistics,
			JobRepository jobRepository, int requestsPerTransaction) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		Assert.notNull(verifier, "'verifier' must not be null");
		Assert.notNull(transactionManager, "'transactionManager' must not be null");
		Assert.notNull(statistics, "'statistics' must not be null");
		Assert.notNull(jobRepository, "'jobRepository' must not be null");
		Assert.isTrue(requestsPerTransaction > 0, "'requestsPerTransaction' must be positive");
		this.jdbc = jdbc;
		this.verifier = verifier;
		// the outcome is committed even though the step then fails
		this.ownTransaction = new TransactionTemplate(transactionManager);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.statistics = statistics;
		this.jobRepository = jobRepository;
		this.requestsPerTransaction = requestsPerTransaction;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		Map<String, Long> residualRows = new TreeMap<>();
		List<CompletedErasure> unverified = this.verifier.unverified();
		List<Long> failed = new ArrayList<>();
		for (int from = 0; from < unverified.size(); from += this.requestsPerTransaction) {
			List<CompletedErasure> group = unverified.subList(from,
					Math.min(from + this.requestsPerTransaction, unverified.size()));
			failed.addAll(this.ownTransaction.execute((status) -> verify(group, contribution, residualRows)));
		}
		if (!failed.isEmpty()) {
			JobExecution jobExecution = contribution.getStepExecution().getJobExecution();
			int completedInThisRun = countCompletedInThisRun(failed, jobExecution);
			this.statistics.countFailedVerification(completedInThisRun, failed.size());
			throw new ResidualDataException(failed.size(), completedInThisRun, residualRows);
		}
		return RepeatStatus.FINISHED;
	}

	/**
	 * Counts the failed requests the erase step of this job instance completed (this execution
	 * or, after a restart, an earlier one of the same instance), as the audit rows' job
	 * execution ids tell: only those were counted as completed in this run's statistics. A
	 * request completed by an earlier instance (one killed before it verified) was not.
	 */
	private int countCompletedInThisRun(List<Long> failed, JobExecution jobExecution) {
		List<Long> executions = this.jobRepository.getJobExecutions(jobExecution.getJobInstance())
			.stream()
			.map(JobExecution::getId)
			.toList();
		int completed = 0;
		for (Long requestId : failed) {
			long auditRows = this.jdbc.sql("""
					SELECT COUNT(*) FROM erasure_audit WHERE request_id = :request AND table_name <> 'erasure_request'
					AND row_count > 0 AND job_execution_id IN (:executions)""")
				.param("request", requestId)
				.param("executions", executions)
				.query(Long.class)
				.single();
			if (auditRows > 0) {
				completed++;
			}
		}
		return completed;
	}

	private List<Long> verify(List<CompletedErasure> group, StepContribution contribution,
			Map<String, Long> residualRows) {
		Map<CompletedErasure, Map<String, Long>> withDataLeft = this.verifier.verify(group);
		for (int i = 0; i < group.size(); i++) {
			contribution.incrementReadCount(); // no bulk form in StepContribution
		}
		contribution.incrementWriteCount(group.size() - withDataLeft.size());
		List<Long> failed = new ArrayList<>();
		withDataLeft.forEach((request, residual) -> {
			this.jdbc.sql("""
					UPDATE erasure_request SET status = 'FAILED', error_code = 'RESIDUAL_DATA'
					WHERE id = ? AND status = 'COMPLETED'""").param(request.id()).update();
			residual.forEach((table, rows) -> residualRows.merge(table, rows, Long::sum));
			logger.error("Residual data after erasure request " + request.id() + ": rows per table " + residual
					+ "; request set to FAILED (RESIDUAL_DATA)");
			failed.add(request.id());
		});
		return failed;
	}

}
