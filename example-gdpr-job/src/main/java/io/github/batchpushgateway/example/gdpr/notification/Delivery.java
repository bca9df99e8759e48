package io.github.batchpushgateway.example.gdpr.notification;

import org.jspecify.annotations.Nullable;

/**
 * What this run's attempts at one queued message came to: delivered, or not delivered once
 * the retries this run allows it ran out.
 *
 * @param message the message
 * @param attempts attempts this run made
 * @param errorCode the last transient failure's code, {@code null} when delivered
 */
public record Delivery(OutboxMessage message, int attempts, @Nullable String errorCode) {

	/**
	 * Returns whether the message went through.
	 * @return {@code true} when delivered
	 */
	public boolean delivered() {
		return this.errorCode == null;
	}

}
