package io.github.batchpushgateway.example.gdpr;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.batchpushgateway.example.gdpr.notification.NotificationDispatchWriter;
import io.github.batchpushgateway.example.gdpr.notification.OutboxMessage;
import io.github.batchpushgateway.example.gdpr.notification.SimulatedRecipientNotifier;
import io.github.batchpushgateway.example.gdpr.notification.TransientDeliveryException;
import io.github.batchpushgateway.micrometer.BatchMeters;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.test.MetaDataInstanceFactory;
import org.springframework.core.retry.RetryPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * A delivery whose retries run out stays queued with its attempts and error code, and goes
 * out on a later run with the same idempotency key; each run counts its own outcomes.
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
		BatchMeters meters = new BatchMeters((execution) -> true);
		NotificationDispatchWriter writer = new NotificationDispatchWriter(endpoint, RetryPolicy.builder()
			.includes(TransientDeliveryException.class)
			.maxRetries(2)
			.delay(Duration.ofMillis(1))
			.build(), this.jdbc, this.clock, meters);
		OutboxMessage message = new OutboxMessage(id, request, "ad-network", "ERASURE_NOTICE", "https://ads.example.com",
				"ad-ref-1");

		// when, in a run of its own
		// (ids other than the step execution @SpringBatchTest registers for each test method)
		StepExecution firstRun = MetaDataInstanceFactory.createStepExecution("notifyRecipients", 1L);
		inStep(firstRun, () -> writer.write(Chunk.of(message)));

		// then
		assertThat(counts(meters, firstRun)).containsOnly(entry("deferred", 1.0));
		assertThat(this.shop.row("notification_outbox", id)).containsEntry("STATUS", "PENDING")
			.containsEntry("ATTEMPTS", 3)
			.containsEntry("LAST_ERROR_CODE", "ENDPOINT_UNAVAILABLE")
			.containsEntry("SUBJECT_REFERENCE", "ad-ref-1");

		// when the next run tries again
		StepExecution nextRun = MetaDataInstanceFactory.createStepExecution("notifyRecipients", 2L);
		inStep(nextRun, () -> writer.write(Chunk.of(message)));

		// then its counts start from zero
		assertThat(counts(meters, nextRun)).containsOnly(entry("delivered", 1.0));
		assertThat(this.shop.row("notification_outbox", id)).containsEntry("STATUS", "SENT")
			.containsEntry("ATTEMPTS", 5)
			.containsEntry("LAST_ERROR_CODE", null)
			.containsEntry("SUBJECT_REFERENCE", null);
		assertThat(endpoint.processed()).extracting((notification) -> notification.idempotencyKey())
			.containsExactly(id);
		assertThat(endpoint.attempts(id)).isEqualTo(5);
	}

	private static void inStep(StepExecution step, Runnable work) {
		StepSynchronizationManager.register(step);
		try {
			work.run();
		}
		finally {
			StepSynchronizationManager.release();
		}
	}

	/** The run's notification counters of the recipient {@code ad-network}, by outcome. */
	private static Map<String, Double> counts(BatchMeters meters, StepExecution run) {
		Map<String, Double> counts = new TreeMap<>();
		for (String outcome : List.of("delivered", "deferred")) {
			Counter counter = meters.registry(run.getJobExecution())
				.find("gdpr.erasure.recipient.notifications." + outcome)
				.tag("recipient", "ad-network")
				.counter();
			if (counter != null) {
				counts.put(outcome, counter.count());
			}
		}
		return counts;
	}

}
