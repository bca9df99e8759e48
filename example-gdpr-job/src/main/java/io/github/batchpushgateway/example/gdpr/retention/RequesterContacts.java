package io.github.batchpushgateway.example.gdpr.retention;

/**
 * When a requester's contact address has served its purpose: the request is final (erased,
 * or nothing was held) and the reply to the requester was delivered or given up as
 * undeliverable. A refusal because of a contract is not final (the request is erased once
 * the contract ends, and the requester is then told), so its address is kept until then.
 */
public final class RequesterContacts {

	/**
	 * Condition on {@code erasure_request r}: its address may be dropped (GDPR Art. 5(1)(e)).
	 * Tested on the generated {@code holds_requester_email} flag, which is indexed, so that it
	 * reads the few requests still holding an address, not every request ever completed.
	 */
	public static final String NO_LONGER_NEEDED = """
			r.holds_requester_email = TRUE AND r.status IN ('COMPLETED', 'NO_DATA_HELD')
			AND EXISTS (SELECT 1 FROM notification_outbox o WHERE o.request_id = r.id
				AND o.recipient_key = 'requester' AND o.status IN ('SENT', 'UNDELIVERABLE'))""";

	private RequesterContacts() {
	}

}
