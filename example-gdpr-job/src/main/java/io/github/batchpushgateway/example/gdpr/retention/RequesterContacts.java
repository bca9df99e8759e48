package io.github.batchpushgateway.example.gdpr.retention;

import java.util.List;

/**
 * When a requester's contact address has served its purpose: the request is final (erased,
 * or nothing was held) and the reply to the requester was delivered or given up as
 * undeliverable. A refusal because of a contract is not final (the request is erased once
 * the contract ends, and the requester is then told), so its address is kept until then.
 */
public final class RequesterContacts {

	/**
	 * The statuses of a final request, whose address may go once its reply is out.
	 */
	public static final List<String> ANSWERED = List.of("COMPLETED", "NO_DATA_HELD");

	private static final String REPLY_OUT = """
			AND EXISTS (SELECT 1 FROM notification_outbox o WHERE o.request_id = r.id
				AND o.recipient_key = 'requester' AND o.status IN ('SENT', 'UNDELIVERABLE'))""";

	/**
	 * Condition on {@code erasure_request r}: its address may be dropped (GDPR Art. 5(1)(e)).
	 * Tested on the generated {@code holds_requester_email} flag, which is indexed, so that it
	 * reads the requests still holding an address, not every request ever completed.
	 */
	public static final String NO_LONGER_NEEDED = """
			r.holds_requester_email = TRUE AND r.status IN ('COMPLETED', 'NO_DATA_HELD')
			""" + REPLY_OUT;

	/**
	 * {@link #NO_LONGER_NEEDED} for the requests in one status of {@link #ANSWERED}, the
	 * parameter: an index range over the answered requests still holding an address only,
	 * where the condition with {@code IN} has H2 read every request holding one, each open
	 * request included (50,000 at 1,000,000 demo customers), which a metric taken at every
	 * push cannot afford.
	 */
	public static final String NO_LONGER_NEEDED_IN_STATUS = """
			r.holds_requester_email = TRUE AND r.status = ?
			""" + REPLY_OUT;

	private RequesterContacts() {
	}

}
