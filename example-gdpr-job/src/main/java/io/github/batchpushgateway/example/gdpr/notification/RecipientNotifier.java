package io.github.batchpushgateway.example.gdpr.notification;

/**
 * Delivers notifications to recipients' endpoints. Implementations pass the idempotency key
 * on (for example as an {@code Idempotency-Key} header), so a repeated delivery is harmless.
 */
@FunctionalInterface
public interface RecipientNotifier {

	/**
	 * Delivers one notification.
	 * @param notification what to deliver and where
	 * @throws TransientDeliveryException when the endpoint is temporarily unavailable and a
	 * later attempt may succeed
	 */
	void deliver(Notification notification) throws TransientDeliveryException;

}
