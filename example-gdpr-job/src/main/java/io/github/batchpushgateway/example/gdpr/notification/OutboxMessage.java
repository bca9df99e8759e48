package io.github.batchpushgateway.example.gdpr.notification;

/**
 * A queued row of {@code notification_outbox}.
 *
 * @param id the row's id, also the idempotency key
 * @param requestId the erasure request
 * @param recipientKey the recipient's code, or {@code requester}
 * @param message the kind of message
 * @param endpoint where it goes
 * @param subjectReference how the receiving side knows the subject (personal data)
 */
public record OutboxMessage(long id, long requestId, String recipientKey, String message, String endpoint,
		String subjectReference) {

	Notification toNotification() {
		return new Notification(this.id, this.recipientKey, this.endpoint, this.message, this.requestId,
				this.subjectReference);
	}

	@Override
	public String toString() {
		return "OutboxMessage[" + this.id + " " + this.message + " to " + this.recipientKey + "]";
	}

}
