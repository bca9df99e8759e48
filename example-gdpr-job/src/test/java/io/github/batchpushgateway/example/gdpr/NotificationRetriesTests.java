package io.github.batchpushgateway.example.gdpr;

import java.time.Duration;

import io.github.batchpushgateway.example.gdpr.notification.NotificationDispatchWriter;
import io.github.batchpushgateway.example.gdpr.notification.OutboxMessage;
import io.github.batchpushgateway.example.gdpr.notification.SimulatedRecipientNotifier;
import io.github.batchpushgateway.example.gdpr.notification.TransientDeliveryException;
import org.junit.jupiter.api.Test;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.core.retry.RetryPolicy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A delivery whose retries run out stays queued with its attempts and error code, and goes
 * out on a later run with the same idempotency key.
 */
class NotificationRetriesTests extends ErasureJobTestSupport {

	@Test
	void deliveryStaysQueuedWhenRetriesRunOutAndIsSentLater() {
		// given: an endpoint that fails the first four attempts, two retries per run
		Shop.Customer customer = this.shop.customer();
		long request = this.shop.verifiedRequest(customer);
		this.jdbc.sql("""
				INSERT INTO notification_outbox (request_id, recipient_key, message, endpoint, subject_reference, status, created_at)
				VALUES (?, 'ad-network', 'ERASURE_NOTICE', 'https://ads.example.com', 'ad-ref-1', 'PENDING', CURRENT_TIMESTAMP)""")
			.param(request)
			.update();
		long id = this.shop.count("SELECT MAX(id) FROM notification_outbox");
		SimulatedRecipientNotifier endpoint = new SimulatedRecipientNotifier("ad-network", 1, 4);
		NotificationDispatchWriter writer = new NotificationDispatchWriter(endpoint, RetryPolicy.builder()
			.includes(TransientDeliveryException.class)
			.maxRetries(2)
			.delay(Duration.ofMillis(1))
			.build(), this.jdbc, this.clock);
		OutboxMessage message = new OutboxMessage(id, request, "ad-network", "ERASURE_NOTICE", "https://ads.example.com",
				"ad-ref-1");

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

}
