package io.github.batchpushgateway.example.gdpr.notification;

/**
 * One message to deliver: to a recipient the data was disclosed to (GDPR Art. 19) or to the
 * requester (Art. 12(3), 12(4)).
 *
 * @param idempotencyKey the outbox row's id: the receiving side processes a key once, so a
 * delivery repeated after a crash has no second effect
 * @param recipientKey the recipient's code, or {@code requester}
 * @param endpoint where the message goes
 * @param message the kind of message
 * @param requestId the erasure request it is about
 * @param subjectReference how the receiving side knows the subject (personal data: never
 * logged, cleared from the outbox once delivered)
 */
public record Notification(long idempotencyKey, String recipientKey, String endpoint, String message, long requestId,
		String subjectReference) {

	@Override
	public String toString() {
		return "Notification[" + this.idempotencyKey + " " + this.message + " to " + this.recipientKey + "]";
	}

}
