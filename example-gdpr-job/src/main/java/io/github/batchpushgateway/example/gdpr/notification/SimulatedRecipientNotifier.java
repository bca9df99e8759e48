package io.github.batchpushgateway.example.gdpr.notification;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * Recipients' endpoints simulated in process, so the example needs no network. One recipient
 * can be made flaky with a deterministic pattern: every {@code every}-th message to it (by
 * idempotency key) fails its first {@code failures} attempts with a transient error, then goes
 * through. Like a real endpoint it processes each idempotency key once: a repeated delivery is
 * acknowledged without a second effect.
 */
public class SimulatedRecipientNotifier implements RecipientNotifier {

	private final @Nullable String flakyRecipient;

	private final int every;

	private final int failures;

	private final Map<Long, AtomicInteger> attempts = new ConcurrentHashMap<>();

	private final Set<Long> processedKeys = ConcurrentHashMap.newKeySet();

	/**
	 * Appended to at every delivery and read by tests only: a copy-on-write list copied itself
	 * whole at each of the 96,000 deliveries of a run at 1,000,000 customers.
	 */
	private final Queue<Notification> processed = new ConcurrentLinkedQueue<>();

	/**
	 * Creates endpoints that all work.
	 */
	public SimulatedRecipientNotifier() {
		this(null, 1, 0);
	}

	/**
	 * Creates endpoints of which one is flaky.
	 * @param flakyRecipient code of the flaky recipient, or {@code null} for none
	 * @param every every how many messages to it see failures
	 * @param failures how many attempts of such a message fail
	 */
	public SimulatedRecipientNotifier(@Nullable String flakyRecipient, int every, int failures) {
		this.flakyRecipient = flakyRecipient;
		this.every = Math.max(1, every);
		this.failures = failures;
	}

	@Override
	public void deliver(Notification notification) {
		int attempt = this.attempts.computeIfAbsent(notification.idempotencyKey(), (key) -> new AtomicInteger())
			.incrementAndGet();
		if (notification.recipientKey().equals(this.flakyRecipient)
				&& notification.idempotencyKey() % this.every == 0 && attempt <= this.failures) {
			throw new TransientDeliveryException("ENDPOINT_UNAVAILABLE");
		}
		if (this.processedKeys.add(notification.idempotencyKey())) {
			this.processed.add(notification);
		}
	}

	/**
	 * Returns how often delivery of a message was attempted.
	 * @param idempotencyKey the message's key
	 * @return attempts so far, 0 if none
	 */
	public int attempts(long idempotencyKey) {
		AtomicInteger count = this.attempts.get(idempotencyKey);
		return (count != null) ? count.get() : 0;
	}

	/**
	 * Returns the messages the endpoints processed, each once, in order.
	 * @return the processed messages
	 */
	public List<Notification> processed() {
		return List.copyOf(this.processed);
	}

}
