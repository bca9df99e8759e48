package io.github.batchpushgateway.example.gdpr.erasure;

/**
 * What the job did to the rows of one table for one request ({@code erasure_audit.action}).
 */
public enum AuditAction {

	/**
	 * Rows removed.
	 */
	DELETED,

	/**
	 * Personal fields cleared, the rest of the row kept (GDPR Art. 5(1)(c)).
	 */
	MINIMIZED,

	/**
	 * Kept because the law requires it, blocked for any other use (GDPR Art. 18).
	 */
	RESTRICTED,

	/**
	 * Keyed hash added to the "do not contact" list.
	 */
	SUPPRESSED,

	/**
	 * A recipient was not told of the erasure: delivery was given up as impossible or
	 * disproportionate effort (GDPR Art. 19) and its reference removed.
	 */
	NOT_NOTIFIED;

}
