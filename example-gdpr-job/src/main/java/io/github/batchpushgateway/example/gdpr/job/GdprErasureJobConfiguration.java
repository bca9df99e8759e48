package io.github.batchpushgateway.example.gdpr.job;

import java.time.Clock;
import java.util.Set;

import javax.sql.DataSource;

import io.github.batchpushgateway.example.gdpr.GdprProperties;
import io.github.batchpushgateway.example.gdpr.demo.DemoDataGenerator;
import io.github.batchpushgateway.example.gdpr.demo.DemoProperties;
import io.github.batchpushgateway.example.gdpr.erasure.ChunkEraser;
import io.github.batchpushgateway.example.gdpr.erasure.ErasureAudit;
import io.github.batchpushgateway.example.gdpr.erasure.ErasureBatch;
import io.github.batchpushgateway.example.gdpr.erasure.ErasureSkipRecorder;
import io.github.batchpushgateway.example.gdpr.erasure.NotificationQueue;
import io.github.batchpushgateway.example.gdpr.erasure.OrderContracts;
import io.github.batchpushgateway.example.gdpr.erasure.SubjectEraser;
import io.github.batchpushgateway.example.gdpr.erasure.SubjectErasureWriter;
import io.github.batchpushgateway.example.gdpr.erasure.SuppressionKeys;
import io.github.batchpushgateway.example.gdpr.erasure.SuppressionList;
import io.github.batchpushgateway.example.gdpr.erasure.TransientErasureException;
import io.github.batchpushgateway.example.gdpr.erasure.UnprocessableSubjectException;
import io.github.batchpushgateway.example.gdpr.metrics.ErasureRunStatistics;
import io.github.batchpushgateway.example.gdpr.metrics.GdprMetricsContributor;
import io.github.batchpushgateway.example.gdpr.metrics.IntegrityCensus;
import io.github.batchpushgateway.example.gdpr.notification.CommitsOnDiskFirst;
import io.github.batchpushgateway.example.gdpr.notification.DeliveringOutboxReader;
import io.github.batchpushgateway.example.gdpr.notification.Delivery;
import io.github.batchpushgateway.example.gdpr.notification.NotificationDispatchWriter;
import io.github.batchpushgateway.example.gdpr.notification.OutboxMessage;
import io.github.batchpushgateway.example.gdpr.notification.RecipientNotifier;
import io.github.batchpushgateway.example.gdpr.notification.SimulatedRecipientNotifier;
import io.github.batchpushgateway.example.gdpr.notification.TransientDeliveryException;
import io.github.batchpushgateway.example.gdpr.notification.UndeliverableNotifications;
import io.github.batchpushgateway.example.gdpr.retention.RetentionSweepTasklet;
import io.github.batchpushgateway.example.gdpr.verification.ErasureVerificationTasklet;
import io.github.batchpushgateway.example.gdpr.verification.ErasureVerifier;
import io.github.batchpushgateway.example.gdpr.verification.ResidualData;
import io.github.batchpushgateway.micrometer.BatchMeters;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.RunIdIncrementer;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.skip.LimitCheckingExceptionHierarchySkipPolicy;
import org.springframework.batch.infrastructure.item.database.JdbcCursorItemReader;
import org.springframework.batch.infrastructure.item.database.builder.JdbcCursorItemReaderBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The erasure job: {@code computeDeadlines}, {@code checkPreconditions}, {@code eraseSubjects}, {@code notifyRecipients},
 * {@code verifyErasure}, {@code confirmErasures}, {@code sweepRetention}. A {@link RunIdIncrementer} makes each
 * {@code java -jar} a new instance with no other parameter (job parameters are stored in the
 * job repository, so they never carry personal data); every step selects its work from the
 * state of the database, so a new run after a failed one, and a restart of the failed
 * execution, both carry on where it stopped.
 */
@Configuration(proxyBeanMethods = false)
public class GdprErasureJobConfiguration {

	/**
	 * Name of the job, and of its Pushgateway group ({@code /metrics/job/gdprErasureJob}).
	 */
	public static final String JOB_NAME = "gdprErasureJob";

	@Bean
	Job gdprErasureJob(JobRepository jobRepository, Step computeDeadlines, Step checkPreconditions, Step eraseSubjects,
			Step notifyRecipients, Step verifyErasure, Step confirmErasures, Step sweepRetention,
			ErasureRunStatistics statistics) {
		return new JobBuilder(JOB_NAME, jobRepository).incrementer(new RunIdIncrementer())
			.listener(statistics)
			.listener(new CompletedWithSkipsListener())
			.start(computeDeadlines)
			.next(checkPreconditions)
			.next(eraseSubjects)
			.next(notifyRecipients)
			.next(verifyErasure)
			.next(confirmErasures)
			.next(sweepRetention)
			.build();
	}

	/**
	 * First, because deadlines need nothing the other steps may lack: a run refused for a
	 * missing key still reports which requests are overdue.
	 */
	@Bean
	Step computeDeadlines(JobRepository jobRepository, PlatformTransactionManager transactionManager, JdbcClient jdbc,
			JdbcTemplate jdbcTemplate) {
		return new StepBuilder("computeDeadlines", jobRepository)
			.tasklet(new DeadlinesTasklet(jdbc, jdbcTemplate), transactionManager)
			.build();
	}

	@Bean
	Step checkPreconditions(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			SuppressionKeys suppressionKeys, SuppressionList suppressionList, GdprProperties properties) {
		return new StepBuilder("checkPreconditions", jobRepository)
			.tasklet(new PreconditionsTasklet(suppressionKeys, suppressionList, properties), transactionManager)
			.build();
	}

	/**
	 * {@code gdpr.erasure.chunk-size} subjects per chunk, so one commit per chunk, in order of
	 * deadline; a chunk's clear cases are erased together, a few statements per table for all
	 * of them (see {@link ChunkEraser}). Transient database errors are retried with backoff (the whole chunk, from a
	 * savepoint); a subject whose own data makes erasure fail, or whose transient error outlasts
	 * the retries, is isolated by writing the chunk again one subject per transaction, and skipped
	 * (its request set to FAILED with an error code, tried again by later runs up to the attempts
	 * cap) while the others go on; any other error fails the step, the chunk rolled back as a
	 * whole, and a restart continues with the requests still waiting. Each chunk's completed
	 * erasures are verified in its transaction ({@link ErasureVerifier}), while its pages are
	 * in the database's cache.
	 */
	@Bean
	Step eraseSubjects(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			JdbcCursorItemReader<Long> erasureRequestReader, ChunkEraser eraser, ErasureVerifier verifier,
			ErasureAudit audit, JdbcClient jdbc, ErasureRunStatistics statistics, GdprProperties properties,
			BatchMeters meters) {
		GdprProperties.Erasure erasure = properties.getErasure();
		return new StepBuilder("eraseSubjects", jobRepository).<Long, Long>chunk(erasure.getChunkSize())
			.transactionManager(transactionManager)
			.reader(erasureRequestReader)
			.writer(new SubjectErasureWriter(eraser, verifier, audit, transactionManager, statistics, meters))
			.faultTolerant()
			.retryPolicy(RetryPolicy.builder()
				.includes(TransientDataAccessException.class)
				.maxRetries(erasure.getRetryLimit())
				.delay(erasure.getRetryDelay())
				.multiplier(2)
				.build())
			.skipPolicy(new LimitCheckingExceptionHierarchySkipPolicy(
					Set.of(UnprocessableSubjectException.class, TransientErasureException.class), erasure.getSkipLimit()))
			.skipListener(new ErasureSkipRecorder(jdbc, transactionManager, statistics))
			.build();
	}

	/**
	 * Requests waiting for erasure, earliest deadline first: verified ones, those on hold or
	 * refused because of a contract (looked at again at every run: erased once the hold is
	 * released or the contract ends), and failed ones with attempts left. A refusal on any
	 * other ground (a person's decision, say Art. 12(5)) is final and left alone. The reader keeps no state in
	 * the execution context (that would store request ids there): a processed request leaves
	 * the query's result, which is what makes a restart pick up the rest.
	 */
	@Bean
	JdbcCursorItemReader<Long> erasureRequestReader(DataSource dataSource, GdprProperties properties) {
		return new JdbcCursorItemReaderBuilder<Long>().name("erasureRequests")
			.dataSource(dataSource)
			.sql("""
					SELECT id FROM erasure_request
					WHERE status IN ('VERIFIED', 'ON_HOLD') OR (status = 'FAILED' AND attempts < ?)
					OR (status = 'REJECTED' AND reason_code IN ('OPEN_CONTRACT', 'UNKNOWN_ORDER_STATUS'))
					ORDER BY due_on NULLS LAST, id""")
			.preparedStatementSetter((statement) -> statement.setInt(1, properties.getErasure().getMaxAttempts()))
			.rowMapper((rs, rowNum) -> rs.getLong("id"))
			.saveState(false)
			.build();
	}

	/**
	 * Delivers every queued message: recipients' Art. 19 notices, refusals and hold notices to
	 * requesters, and whatever an earlier run could not deliver. A message whose recipient fails
	 * transiently is tried again after the others, once its backoff has passed, in a later pass
	 * of the same step ({@link DeliveringOutboxReader}), not by sleeping on the spot.
	 */
	@Bean
	Step notifyRecipients(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			JdbcCursorItemReader<OutboxMessage> outboxReader, RecipientNotifier recipientNotifier, JdbcClient jdbc,
			GdprProperties properties, Clock clock, ErasureAudit audit, BatchMeters meters,
			CommitsOnDiskFirst commitsOnDiskFirst) {
		return dispatchStep("notifyRecipients", jobRepository, transactionManager, outboxReader, recipientNotifier,
				jdbc, properties, clock, audit, meters, commitsOnDiskFirst);
	}

	/**
	 * Delivers the requesters' erasure confirmations queued since {@code notifyRecipients} ran.
	 * Verification queues one only for an erasure it found complete, so nobody is told "erased"
	 * while data of theirs is still there: the erase step's verifications, whose confirmations
	 * {@code notifyRecipients} delivers with the recipients' notifications, and
	 * {@code verifyErasure}'s, delivered here. When {@code verifyErasure} fails the job stops
	 * before this step; the confirmations of the requests it did verify go out with the next
	 * run's {@code notifyRecipients}.
	 */
	@Bean
	Step confirmErasures(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			JdbcCursorItemReader<OutboxMessage> confirmationReader, RecipientNotifier recipientNotifier,
			JdbcClient jdbc, GdprProperties properties, Clock clock, ErasureAudit audit, BatchMeters meters,
			CommitsOnDiskFirst commitsOnDiskFirst) {
		return dispatchStep("confirmErasures", jobRepository, transactionManager, confirmationReader,
				recipientNotifier, jdbc, properties, clock, audit, meters, commitsOnDiskFirst);
	}

	private static Step dispatchStep(String name, JobRepository jobRepository,
			PlatformTransactionManager transactionManager, JdbcCursorItemReader<OutboxMessage> reader,
			RecipientNotifier recipientNotifier, JdbcClient jdbc, GdprProperties properties, Clock clock,
			ErasureAudit audit, BatchMeters meters, CommitsOnDiskFirst commitsOnDiskFirst) {
		GdprProperties.Notifications notifications = properties.getNotifications();
		RetryPolicy retryPolicy = RetryPolicy.builder()
			.includes(TransientDeliveryException.class)
			.maxRetries(notifications.getMaxRetries())
			.delay(notifications.getInitialBackoff())
			.multiplier(notifications.getBackoffMultiplier())
			.build();
		return new StepBuilder(name, jobRepository).<Delivery, Delivery>chunk(notifications.getChunkSize())
			.transactionManager(transactionManager)
			.listener(commitsOnDiskFirst)
			.reader(new DeliveringOutboxReader(reader, recipientNotifier, retryPolicy))
			.writer(new NotificationDispatchWriter(jdbc, clock,
					new UndeliverableNotifications(jdbc, audit, notifications.getGiveUpAfterAttempts(),
							notifications.getGiveUpAfter(), clock),
					meters))
			.build();
	}

	@Bean
	CommitsOnDiskFirst commitsOnDiskFirst(DataSource dataSource) {
		return new CommitsOnDiskFirst(dataSource);
	}

	@Bean
	JdbcCursorItemReader<OutboxMessage> outboxReader(DataSource dataSource) {
		return outbox("outbox", dataSource, "");
	}

	@Bean
	JdbcCursorItemReader<OutboxMessage> confirmationReader(DataSource dataSource) {
		return outbox("confirmations", dataSource, "AND message = 'ERASURE_CONFIRMATION'");
	}

	private static JdbcCursorItemReader<OutboxMessage> outbox(String name, DataSource dataSource, String condition) {
		return new JdbcCursorItemReaderBuilder<OutboxMessage>().name(name)
			.dataSource(dataSource)
			.sql("""
					SELECT id, request_id, recipient_key, message, endpoint, subject_reference
					FROM notification_outbox WHERE status = 'PENDING' %s ORDER BY id""".formatted(condition))
			.rowMapper((rs, rowNum) -> new OutboxMessage(rs.getLong("id"), rs.getLong("request_id"),
					rs.getString("recipient_key"), rs.getString("message"), rs.getString("endpoint"),
					rs.getString("subject_reference")))
			.saveState(false)
			.build();
	}

	/**
	 * Verifies what the erase step left unverified: erasures with personal data left, which it
	 * fails with the job, and those a crash left completed between the erase step's chunks and
	 * their verification.
	 */
	@Bean
	Step verifyErasure(JobRepository jobRepository, PlatformTransactionManager transactionManager, JdbcClient jdbc,
			ErasureVerifier verifier, ErasureRunStatistics statistics, GdprProperties properties) {
		return new StepBuilder("verifyErasure", jobRepository)
			.tasklet(new ErasureVerificationTasklet(jdbc, verifier, transactionManager, statistics, jobRepository,
					properties.getErasure().getChunkSize()), transactionManager)
			.build();
	}

	@Bean
	ErasureVerifier erasureVerifier(JdbcClient jdbc, ResidualData residualData, Clock clock,
			NotificationQueue notificationQueue, GdprProperties properties) {
		return new ErasureVerifier(jdbc, residualData, clock, notificationQueue,
				properties.getNotifications().getRequesterEndpoint());
	}

	@Bean
	Step sweepRetention(JobRepository jobRepository, PlatformTransactionManager transactionManager, JdbcClient jdbc,
			JdbcTemplate jdbcTemplate, ErasureAudit audit, Clock clock, GdprProperties properties) {
		return new StepBuilder("sweepRetention", jobRepository)
			.tasklet(new RetentionSweepTasklet(jdbc, jdbcTemplate, audit, clock, transactionManager,
					properties.getErasure().getChunkSize()), transactionManager)
			.build();
	}

	@Bean
	SuppressionKeys suppressionKeys(GdprProperties properties) {
		return new SuppressionKeys(properties);
	}

	@Bean
	SuppressionList suppressionList(JdbcClient jdbc, SuppressionKeys suppressionKeys, Clock clock) {
		return new SuppressionList(jdbc, suppressionKeys, clock);
	}

	@Bean
	OrderContracts orderContracts(JdbcClient jdbc, GdprProperties properties) {
		return new OrderContracts(jdbc, properties);
	}

	@Bean
	IntegrityCensus integrityCensus(JdbcClient jdbc, OrderContracts orderContracts, SuppressionList suppressionList) {
		return new IntegrityCensus(jdbc, orderContracts, suppressionList);
	}

	@Bean
	NotificationQueue notificationQueue(JdbcClient jdbc, Clock clock) {
		return new NotificationQueue(jdbc, clock);
	}

	@Bean
	ErasureAudit erasureAudit(JdbcTemplate jdbc, Clock clock) {
		return new ErasureAudit(jdbc, clock);
	}

	@Bean
	ErasureBatch erasureBatch(JdbcTemplate jdbc, SuppressionList suppressionList, NotificationQueue notificationQueue,
			ErasureAudit erasureAudit, GdprProperties properties, Clock clock) {
		return new ErasureBatch(jdbc, suppressionList, notificationQueue, erasureAudit, properties, clock);
	}

	@Bean
	SubjectEraser subjectEraser(JdbcClient jdbc, SuppressionList suppressionList, OrderContracts orderContracts,
			NotificationQueue notificationQueue, ErasureAudit erasureAudit, ErasureBatch erasureBatch,
			GdprProperties properties, Clock clock) {
		return new SubjectEraser(jdbc, suppressionList, orderContracts, notificationQueue, erasureAudit, erasureBatch,
				properties, clock);
	}

	@Bean
	ChunkEraser chunkEraser(JdbcClient jdbc, SubjectEraser subjectEraser, ErasureBatch erasureBatch,
			OrderContracts orderContracts) {
		return new ChunkEraser(jdbc, subjectEraser, erasureBatch, orderContracts);
	}

	@Bean
	ErasureRunStatistics erasureRunStatistics() {
		return new ErasureRunStatistics();
	}

	@Bean
	ResidualData residualData(JdbcClient jdbc) {
		return new ResidualData(jdbc);
	}

	/**
	 * Recipients' endpoints, simulated in process (the example sends nothing over the
	 * network). A real deployment declares its own {@code RecipientNotifier}.
	 */
	@Bean
	SimulatedRecipientNotifier recipientNotifier(GdprProperties properties) {
		GdprProperties.Simulation simulation = properties.getSimulation();
		return new SimulatedRecipientNotifier(simulation.getFlakyRecipient(), simulation.getFlakyEvery(),
				simulation.getFlakyFailures());
	}

	/**
	 * The domain metrics, added to the job's group by the starter at every push.
	 */
	@Bean
	GdprMetricsContributor gdprMetricsContributor(JdbcClient jdbc, ResidualData residualData,
			ErasureRunStatistics statistics, Clock clock, SuppressionKeys suppressionKeys, IntegrityCensus census) {
		return new GdprMetricsContributor(JOB_NAME, jdbc, residualData, statistics, clock, suppressionKeys, census);
	}

	/**
	 * One run at a time on one database; held from start-up until the job has run.
	 */
	@Bean
	JobRunLock jobRunLock(DataSource dataSource) {
		return new JobRunLock(dataSource, JOB_NAME);
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "gdpr.recover-interrupted-runs", matchIfMissing = true)
	InterruptedRunRecovery interruptedRunRecovery(JobRepository jobRepository, JobOperator jobOperator,
			JobRunLock jobRunLock) {
		return new InterruptedRunRecovery(jobRepository, jobOperator, jobRunLock, JOB_NAME);
	}

	@Bean
	DemoDataGenerator demoDataGenerator(JdbcTemplate jdbcTemplate, PlatformTransactionManager transactionManager,
			DemoProperties demo, GdprProperties gdpr, Clock clock) {
		return new DemoDataGenerator(jdbcTemplate, transactionManager, demo, gdpr, clock);
	}

}
