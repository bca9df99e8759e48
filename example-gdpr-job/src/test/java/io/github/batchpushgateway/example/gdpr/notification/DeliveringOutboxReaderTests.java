package io.github.batchpushgateway.example.gdpr.notification;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.support.ListItemReader;
import org.springframework.core.retry.RetryPolicy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GDPR Art. 19 without a sleep per failed message: a message whose endpoint fails transiently
 * is tried again after the others, delivered once in the same run, and handed on with all of
 * the run's attempts; one that outlasts the run's retries is handed on undelivered with its
 * error code, as before.
 */
class DeliveringOutboxReaderTests {

	@Test
	void transientlyFailingMessageIsDeliveredOnceAfterTheOthersInTheSameRun() throws Exception {
		// given: every second message to the ad network fails twice, three retries per run
		SimulatedRecipientNotifier endpoint = new SimulatedRecipientNotifier("ad-network", 2, 2);
		DeliveringOutboxReader reader = reader(endpoint, 3, 1, 2, 3);

		// when
		List<Delivery> deliveries = readAll(reader);

		// then: message 2 waited for its backoff while 3 went out, then went through at its third attempt
		assertThat(deliveries).containsExactly(new Delivery(message(1), 1, null), new Delivery(message(3), 1, null),
				new Delivery(message(2), 3, null));
		assertThat(endpoint.processed()).extracting(Notification::idempotencyKey).containsExactly(1L, 3L, 2L);
		assertThat(endpoint.attempts(2)).isEqualTo(3);
	}

	@Test
	void messageFailingBeyondTheRunsRetriesIsHandedOnUndelivered() throws Exception {
		// given: an endpoint that never answers, two retries per run
		SimulatedRecipientNotifier endpoint = new SimulatedRecipientNotifier("ad-network", 1, Integer.MAX_VALUE);
		DeliveringOutboxReader reader = reader(endpoint, 2, 7);

		// when
		List<Delivery> deliveries = readAll(reader);

		// then
		assertThat(deliveries).containsExactly(new Delivery(message(7), 3, "ENDPOINT_UNAVAILABLE"));
		assertThat(endpoint.processed()).isEmpty();
		assertThat(endpoint.attempts(7)).isEqualTo(3);
	}

	private static DeliveringOutboxReader reader(SimulatedRecipientNotifier endpoint, int maxRetries, long... ids) {
		List<OutboxMessage> messages = LongStream.of(ids).mapToObj(DeliveringOutboxReaderTests::message).toList();
		DeliveringOutboxReader reader = new DeliveringOutboxReader(new ListItemReader<>(messages), endpoint,
				RetryPolicy.builder()
					.includes(TransientDeliveryException.class)
					.maxRetries(maxRetries)
					.delay(Duration.ofMillis(1))
					.build());
		reader.open(new ExecutionContext());
		return reader;
	}

	private static List<Delivery> readAll(DeliveringOutboxReader reader) throws Exception {
		List<Delivery> deliveries = new ArrayList<>();
		for (Delivery delivery = reader.read(); delivery != null; delivery = reader.read()) {
			deliveries.add(delivery);
		}
		return deliveries;
	}

	private static OutboxMessage message(long id) {
		return new OutboxMessage(id, 100 + id, "ad-network", "ERASURE_NOTICE", "https://ads.example.com", "ad-ref-" + id);
	}

}
