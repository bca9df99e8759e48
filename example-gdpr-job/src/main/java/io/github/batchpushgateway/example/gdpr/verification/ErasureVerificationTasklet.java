package io.github.batchpushgateway.example.gdpr.verification;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.github.batchpushgateway.example.gdpr.erasure.NotificationQueue;
import io.github.batchpushgateway.example.gdpr.erasure.NotificationQueue.MessageKind;
import io.github.batchpushgateway.example.gdpr.erasure.SubjectIdentifiers;
import io.github.batchpushgateway.example.gdpr.metrics.ErasureRunStatistics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

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
 * Checks every erasure completed since the last verification (GDPR Art. 5(2): the controller
 * must be able to demonstrate compliance). A request without residual data gets
 * {@code verified_at} and, in the same transaction, the requester's
 * {@link MessageKind#ERASURE_CONFIRMATION confirmation} is queued: the requester is told
 * "erased" only for an erasure that was verified. One with residual data goes to
 * {@code FAILED} with {@code RESIDUAL_DATA} (the next run erases it again), no confirmation is
 * queued, and the step then fails the job.
 *
 * <p>Each group of {@code requestsPerTransaction} requests is committed on its own, each
 * verification with its confirmation: one transaction over a run's requests (39,640 at
 * 1,000,000 demo customers) kept every change in H2's undo log until its end. A crash keeps the
 * verifications done so far, and the next run verifies the rest.
 */
public class ErasureVerificationTasklet implements Tasklet {

	private static final Log logger = LogFactory.getLog(ErasureVerificationTasklet.class);

	private final JdbcClient jdbc;

	private final ResidualData residualData;

	private final TransactionTemplate ownTransaction;

	private final ErasureRunStatistics statistics;

	private final Clock clock;

	private final NotificationQueue notifications;

	private final String requesterEndpoint;

	private final JobRepository jobRepository;

	private final int requestsPerTransaction;

	public ErasureVerificationTasklet(JdbcClient jdbc, ResidualData residualData,
			PlatformTransactionManager transactionManager, ErasureRunStatistics statistics, Clock clock,
			NotificationQueue notifications, String requesterEndpoint, JobRepository jobRepository,
			int requestsPerTransaction) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		Assert.notNull(residualData, "'residualData' must not be null");
		Assert.notNull(transactionManager, "'transactionManager' must not be null");
		Assert.notNull(statistics, "'statistics' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		Assert.notNull(notifications, "'notifications' must not be null");
		Assert.hasText(requesterEndpoint, "'requesterEndpoint' must not be empty");
		Assert.notNull(jobRepository, "'jobRepository' must not be null");
		Assert.isTrue(requestsPerTransaction > 0, "'requestsPerTransaction' must be positive");
		this.jdbc = jdbc;
		this.residualData = residualData;
		// the outcome is committed even though the step then fails
		this.ownTransaction = new TransactionTemplate(transactionManager);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.statistics = statistics;
		this.clock = clock;
		this.notifications = notifications;
		this.requesterEndpoint = requesterEndpoint;
		this.jobRepository = jobRepository;
		this.requestsPerTransaction = requestsPerTransaction;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		Map<String, Long> residualRows = new TreeMap<>();
		List<Unverified> unverified = unverified();
		List<Long> failed = new ArrayList<>();
		for (int from = 0; from < unverified.size(); from += this.requestsPerTransaction) {
			List<Unverified> group = unverified.subList(from,
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

	/** The completed requests not verified yet. */
	private List<Unverified> unverified() {
		return this.jdbc.sql("""
				SELECT id, subject_id, requester_email FROM erasure_request
				WHERE status = 'COMPLETED' AND verified_at IS NULL""")
			.query((rs, rowNum) -> new Unverified(rs.getLong("id"), rs.getObject("subject_id", UUID.class),
					rs.getString("requester_email")))
			.list();
	}

	private List<Long> verify(List<Unverified> unverified, StepContribution contribution,
			Map<String, Long> residualRows) {
		// the group's residual rows, one statement per table for all its subjects
		Map<SubjectIdentifiers, Map<String, Long>> residualOfSubjects = this.residualData
			.ofSubjects(unverified.stream().map(Unverified::subject).toList());
		List<Long> failed = new ArrayList<>();
		List<NotificationQueue.Message> confirmations = new ArrayList<>();
		for (Unverified request : unverified) {
			contribution.incrementReadCount();
			Map<String, Long> residual = new LinkedHashMap<>(residualOfSubjects.get(request.subject()));
			residual.values().removeIf((rows) -> rows == 0);
			if (residual.isEmpty()) {
				int verified = this.jdbc
					.sql("UPDATE erasure_request SET verified_at = ? WHERE id = ? AND status = 'COMPLETED'")
					.params(LocalDateTime.now(this.clock), request.id())
					.update();
				if (verified == 1 && request.requesterEmail() != null) {
					confirmations.add(new NotificationQueue.Message(request.id(), NotificationQueue.REQUESTER,
							MessageKind.ERASURE_CONFIRMATION, this.requesterEndpoint, request.requesterEmail(), 0));
				}
				contribution.incrementWriteCount(1);
			}
			else {
				this.jdbc.sql("""
						UPDATE erasure_request SET status = 'FAILED', error_code = 'RESIDUAL_DATA'
						WHERE id = ? AND status = 'COMPLETED'""").param(request.id()).update();
				residual.forEach((table, rows) -> residualRows.merge(table, rows, Long::sum));
				logger.error("Residual data after erasure request " + request.id() + ": rows per table " + residual
						+ "; request set to FAILED (RESIDUAL_DATA)");
				failed.add(request.id());
			}
		}
		// in the transaction of the verifications they confirm
		this.notifications.queueAll(confirmations);
		return failed;
	}

	private record Unverified(long id, UUID subjectId, @Nullable String requesterEmail) {

		SubjectIdentifiers subject() {
			return SubjectIdentifiers.of(this.subjectId, this.requesterEmail);
		}

		@Override
		public String toString() {
			return "Unverified[" + this.id + "]";
		}

	}

}
