package io.github.batchpushgateway.example.gdpr;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Map;

import io.github.batchpushgateway.example.gdpr.erasure.ErasureAudit;
import io.github.batchpushgateway.example.gdpr.notification.NotificationDispatchWriter;
import io.github.batchpushgateway.example.gdpr.notification.OutboxMessage;
import io.github.batchpushgateway.example.gdpr.notification.SimulatedRecipientNotifier;
import io.github.batchpushgateway.example.gdpr.notification.TransientDeliveryException;
import io.github.batchpushgateway.example.gdpr.notification.UndeliverableNotifications;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.core.retry.RetryPolicy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A delivery whose retries run out stays queued with its attempts and error code, and goes
 * out on a later run with the same idempotency key; one that fails for longer than the
 * configured attempts or time is given up (GDPR Art. 19: impossible or disproportionate
 * effort), its reference removed and the decision audited.
 */
class NotificationRetriesTests extends ErasureJobTestSupport {

	private static final long JOB_EXECUTION = 4711;

	@Test
	void deliveryStaysQueuedWhenRetriesRunOutAndIsSentLater() {
		// given: an endpoint that fails the first four attempts, two retries per run
		long request = this.shop.verifiedRequest(this.shop.customer());
		long id = queuedNotice(request, this.shop.now());
		SimulatedRecipientNotifier endpoint = new SimulatedRecipientNotifier("ad-network", 1, 4);
		NotificationDispatchWriter writer = writer(endpoint, 40, Duration.ofDays(30));
		OutboxMessage message = message(id, request);

		// when
		writer.write(Chunk.of(message));

		// then
		assertThat(this.shop.row("notification_outbox", id)).containsEntry("STATUS", "PENDING")
			.containsEntry("ATTEMPTS", 3)
			.containsEntry("LAST_ERROR_CODE", "ENDPOINT_UNAVAILABLE")
			.containsEntry("SUBJECT_REFERENCE", "ad-ref-1");

		// when the next run tries again
		writer.write(Chunk.of(message));

		// then
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
		NotificationDispatchWriter writer = writer(endpoint, 6, Duration.ofDays(30));

		// when: the first run uses three
		writer.write(Chunk.of(message(id, request)));

		// then: still queued
		assertThat(this.shop.row("notification_outbox", id)).containsEntry("STATUS", "PENDING")
			.containsEntry("GIVE_UP_REASON", null);

		// when: the second run uses the rest
		writer.write(Chunk.of(message(id, request)));

		// then
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
		writer(endpoint, 40, Duration.ofDays(30)).write(Chunk.of(message(id, request)));

		// then
		assertThat(this.shop.row("notification_outbox", id)).containsEntry("STATUS", "UNDELIVERABLE")
			.containsEntry("ATTEMPTS", 3)
			.containsEntry("SUBJECT_REFERENCE", null);
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

	private NotificationDispatchWriter writer(SimulatedRecipientNotifier endpoint, int giveUpAfterAttempts,
			Duration giveUpAfter) {
		NotificationDispatchWriter writer = new NotificationDispatchWriter(endpoint, RetryPolicy.builder()
			.includes(TransientDeliveryException.class)
			.maxRetries(2)
			.delay(Duration.ofMillis(1))
			.build(), this.jdbc, this.clock, new UndeliverableNotifications(this.jdbc,
					new ErasureAudit(this.jdbc, this.clock), giveUpAfterAttempts, giveUpAfter, this.clock));
		writer.beforeStep(new StepExecution("notifyRecipients", new JobExecution(JOB_EXECUTION,
				new JobInstance(1L, "gdprErasureJob"), new JobParameters())));
		return writer;
	}

}
