package io.github.batchpushgateway.example.gdpr.retention;

import java.util.List;

/**
 * When a requester's contact address has served its purpose: the request is final (erased,
 * or nothing was held) and a reply to the requester was delivered or given up as
 * undeliverable. A refusal because of a contract is not final (the request is erased once
 * the contract ends, and the requester is then told), so its address is kept until then.
 */
public final class RequesterContacts {

	/**
	 * The statuses of a final request, whose address may go once its reply is out.
	 */
	public static final List<String> ANSWERED = List.of("COMPLETED", "NO_DATA_HELD");

	/**
	 * Condition on {@code erasure_request r} for the requests in one status of
	 * {@link #ANSWERED}, the parameter: its address may be dropped (GDPR Art. 5(1)(e)). The
	 * retention sweep reads them by it; the metric reads their count per status, kept with the
	 * rows in {@code status_count} ({@code StatusCountTrigger}). An index
	 * range over the answered requests still holding an address whose reply is out
	 * ({@code requester_replies_out}, kept by {@link RequesterRepliesOutTrigger}), not every
	 * request ever completed, nor the requests a run completed whose reply is still to go, nor
	 * (as a condition with {@code IN} would have H2 read) every open request holding an
	 * address. {@code >= 1}, not {@code > 0}: H2 starts a range at its bound's value and skips
	 * the entries equal to it one by one, which here are the requests whose reply waits.
	 */
	public static final String NO_LONGER_NEEDED_IN_STATUS = """
			r.holds_requester_email = TRUE AND r.status = ? AND r.requester_replies_out >= 1""";

	private RequesterContacts() {
	}

}
