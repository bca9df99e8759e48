package io.github.batchpushgateway.example.gdpr;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.batchpushgateway.example.gdpr.erasure.ErasureAudit;
import io.github.batchpushgateway.example.gdpr.notification.DeliveringOutboxReader;
import io.github.batchpushgateway.example.gdpr.notification.Delivery;
import io.github.batchpushgateway.example.gdpr.notification.NotificationDispatchWriter;
import io.github.batchpushgateway.example.gdpr.notification.OutboxMessage;
import io.github.batchpushgateway.example.gdpr.notification.SimulatedRecipientNotifier;
import io.github.batchpushgateway.example.gdpr.notification.TransientDeliveryException;
import io.github.batchpushgateway.example.gdpr.notification.UndeliverableNotifications;
import io.github.batchpushgateway.micrometer.BatchMeters;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.support.ListItemReader;
import org.springframework.core.retry.RetryPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * A delivery whose retries run out stays queued with its attempts and error code, and goes
 * out on a later run with the same idempotency key; one that fails for longer than the
 * configured attempts or time is given up (GDPR Art. 19: impossible or disproportionate
 * effort), its reference removed and the decision audited. Each run counts what became of its
 * messages, from zero, by recipient and outcome, once their chunk commits.
 */
class NotificationRetriesTests extends ErasureJobTestSupport {

	private static final long JOB_EXECUTION = 4711;

	private final BatchMeters meters = new BatchMeters((execution) -> true);

	@Test
	void deliveryStaysQueuedWhenRetriesRunOutAndIsSentLater() {
		// given: an endpoint that fails the first four attempts, two retries per run
		long request = this.shop.verifiedRequest(this.shop.customer());
		long id = queuedNotice(request, this.shop.now());
		SimulatedRecipientNotifier endpoint = new SimulatedRecipientNotifier("ad-network", 1, 4);
		OutboxMessage message = message(id, request);
		Run firstRun = run(1);

		// when
		writeAndCommit(writer(endpoint, 40, Duration.ofDays(30), firstRun), firstRun, message);

		// then
		assertThat(counts(firstRun)).containsOnly(entry("ad-network/deferred", 1.0));
		assertThat(this.shop.row("notification_outbox", id)).containsEntry("STATUS", "PENDING")
			.containsEntry("ATTEMPTS", 3)
			.containsEntry("LAST_ERROR_CODE", "ENDPOINT_UNAVAILABLE")
			.containsEntry("SUBJECT_REFERENCE", "ad-ref-1");

		// when the next run tries again
		Run nextRun = run(2);
		writeAndCommit(writer(endpoint, 40, Duration.ofDays(30), nextRun), nextRun, message);

		// then: its counts start from zero
		assertThat(counts(nextRun)).containsOnly(entry("ad-network/delivered", 1.0));
		assertThat(this.shop.row("notification_outbox", id)).containsEntry("STATUS", "SENT")
			.containsEntry("ATTEMPTS", 5)
			.containsEntry("LAST_ERROR_CODE", null)
			.containsEntry("SUBJECT_REFERENCE", null);
		assertThat(endpoint.processed()).extracting((notification) -> notification.idempotencyKey())
			.containsExactly(id);
		assertThat(endpoint.attempts(id)).isEqualTo(5);
	}

	@Test
	void recipientThatAlwaysFailsIsGivenUpOnceItsAttemptsAreUsedAndItsReferenceRemoved() {
		// given: an endpoint that never answers, three attempts per run, six allowed in all
		long request = this.shop.verifiedRequest(this.shop.customer());
		long id = queuedNotice(request, this.shop.now());
		SimulatedRecipientNotifier endpoint = new SimulatedRecipientNotifier("ad-network", 1, Integer.MAX_VALUE);
		Run firstRun = run(1);
		Run secondRun = run(2);

		// when: the first run uses three
		writeAndCommit(writer(endpoint, 6, Duration.ofDays(30), firstRun), firstRun, message(id, request));

		// then: still queued
		assertThat(this.shop.row("notification_outbox", id)).containsEntry("STATUS", "PENDING")
			.containsEntry("GIVE_UP_REASON", null);

		// when: the second run uses the rest
		writeAndCommit(writer(endpoint, 6, Duration.ofDays(30), secondRun), secondRun, message(id, request));

		// then
		assertThat(counts(firstRun)).containsOnly(entry("ad-network/deferred", 1.0));
		assertThat(counts(secondRun)).containsOnly(entry("ad-network/given_up", 1.0));
		Map<String, Object> givenUp = this.shop.row("notification_outbox", id);
		assertThat(givenUp).containsEntry("STATUS", "UNDELIVERABLE")
			.containsEntry("ATTEMPTS", 6)
			.containsEntry("GIVE_UP_REASON", "DISPROPORTIONATE_EFFORT")
			.containsEntry("SUBJECT_REFERENCE", null)
			.containsEntry("LAST_ERROR_CODE", "ENDPOINT_UNAVAILABLE")
			.containsEntry("ACKNOWLEDGED_AT", null);
		assertThat(givenUp.get("GAVE_UP_AT")).isNotNull();
		assertThat(this.shop.rows("SELECT table_name, action, row_count, basis FROM erasure_audit WHERE request_id = ?",
				request))
			.containsExactly(Map.of("TABLE_NAME", "notification_outbox", "ACTION", "NOT_NOTIFIED", "ROW_COUNT", 1,
					"BASIS", ErasureAudit.NOTIFICATION_GIVEN_UP));
		assertThat(this.shop.count("SELECT COUNT(*) FROM notification_outbox WHERE status = 'PENDING'"))
			.as("nothing left for a later run to retry")
			.isZero();
	}

	@Test
	void messageQueuedLongerThanTheGiveUpPeriodIsGivenUpAtItsNextFailure() {
		// given: a notice queued 31 days ago, attempts to spare
		long request = this.shop.verifiedRequest(this.shop.customer());
		long id = queuedNotice(request, this.shop.now().minusDays(31));
		SimulatedRecipientNotifier endpoint = new SimulatedRecipientNotifier("ad-network", 1, Integer.MAX_VALUE);

		// when
		Run run = run(1);
		writeAndCommit(writer(endpoint, 40, Duration.ofDays(30), run), run, message(id, request));

		// then
		assertThat(this.shop.row("notification_outbox", id)).containsEntry("STATUS", "UNDELIVERABLE")
			.containsEntry("ATTEMPTS", 3)
			.containsEntry("SUBJECT_REFERENCE", null);
		assertThat(counts(run)).containsOnly(entry("ad-network/given_up", 1.0));
	}

	@Test
	void messagesOfAChunkThatFailsAreNotCounted() {
		// given
		long request = this.shop.verifiedRequest(this.shop.customer());
		long id = queuedNotice(request, this.shop.now());
		Run run = run(1);
		NotificationDispatchWriter writer = writer(new SimulatedRecipientNotifier(), 40, Duration.ofDays(30), run)
			.writer();
		Delivery delivered = new Delivery(message(id, request), 1, null);

		// when: delivered, but the chunk then fails (its outbox update is rolled back)
		inStep(run, () -> {
			writer.beforeChunk(Chunk.of(delivered));
			writer.write(Chunk.of(delivered));
			writer.onChunkError(new IllegalStateException("commit failed"), Chunk.of(delivered));
		});

		// then
		assertThat(counts(run)).isEmpty();
	}

	private long queuedNotice(long request, LocalDateTime queuedAt) {
		this.jdbc.sql("""
				INSERT INTO notification_outbox (request_id, recipient_key, message, endpoint, subject_reference, status, created_at)
				VALUES (?, 'ad-network', 'ERASURE_NOTICE', 'https://ads.example.com', 'ad-ref-1', 'PENDING', ?)""")
			.params(request, queuedAt)
			.update();
		return this.shop.count("SELECT MAX(id) FROM notification_outbox");
	}

	private static OutboxMessage message(long id, long request) {
		return new OutboxMessage(id, request, "ad-network", "ERASURE_NOTICE", "https://ads.example.com", "ad-ref-1");
	}

	private Dispatch writer(SimulatedRecipientNotifier endpoint, int giveUpAfterAttempts, Duration giveUpAfter,
			Run run) {
		NotificationDispatchWriter writer = new NotificationDispatchWriter(this.jdbc, this.clock,
				new UndeliverableNotifications(this.jdbc, new ErasureAudit(this.jdbcTemplate, this.clock), giveUpAfterAttempts,
						giveUpAfter, this.clock),
				this.meters);
		writer.beforeStep(run.step());
		return new Dispatch(endpoint, writer);
	}

	/**
	 * A run with a job execution of its own.
	 */
	private static Run run(long number) {
		return new Run(
				new JobExecution(JOB_EXECUTION + number, new JobInstance(number, "gdprErasureJob"), new JobParameters()));
	}

	/**
	 * Delivers a message as its step does, two retries per run, and writes what became of it
	 * on the step's thread, counted when the chunk commits.
	 */
	private static void writeAndCommit(Dispatch dispatch, Run run, OutboxMessage message) {
		DeliveringOutboxReader reader = new DeliveringOutboxReader(new ListItemReader<>(List.of(message)),
				dispatch.endpoint(), RetryPolicy.builder()
					.includes(TransientDeliveryException.class)
					.maxRetries(2)
					.delay(Duration.ofMillis(1))
					.build());
		inStep(run, () -> {
			reader.open(new ExecutionContext());
			Chunk<Delivery> chunk = new Chunk<>();
			try {
				for (Delivery delivery = reader.read(); delivery != null; delivery = reader.read()) {
					chunk.add(delivery);
				}
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
			dispatch.writer().beforeChunk(chunk);
			dispatch.writer().write(chunk);
			dispatch.writer().afterChunk(chunk);
			reader.close();
		});
	}

	private static void inStep(Run run, Runnable work) {
		StepSynchronizationManager.register(run.step());
		try {
			work.run();
		}
		finally {
			StepSynchronizationManager.release();
		}
	}

	/**
	 * The run's notification counts, by {@code recipient/outcome}.
	 */
	private Map<String, Double> counts(Run run) {
		Map<String, Double> counts = new TreeMap<>();
		for (Counter counter : this.meters.registry(run.execution())
			.find("gdpr.erasure.recipient.notifications")
			.counters()) {
			counts.put(counter.getId().getTag("recipient") + "/" + counter.getId().getTag("outcome"), counter.count());
		}
		return counts;
	}

	/**
	 * A job execution, wrapped: {@code @SpringBatchTest} takes any method of the test class that
	 * returns a {@code JobExecution} or {@code StepExecution} for its factory of the test's
	 * execution.
	 */
	private record Dispatch(SimulatedRecipientNotifier endpoint, NotificationDispatchWriter writer) {
	}

	private record Run(JobExecution execution) {

		StepExecution step() {
			return new StepExecution("notifyRecipients", this.execution);
		}

	}

}
