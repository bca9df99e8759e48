package io.github.batchpushgateway.example.gdpr.erasure;

/**
 * Lifecycle of an erasure request ({@code erasure_request.status}).
 */
public enum RequestStatus {

	/**
	 * Received, the requester's identity not yet confirmed (GDPR Art. 12(6)); the job does
	 * not act on it, but its deadline runs.
	 */
	RECEIVED,

	/**
	 * Identity confirmed: ready to be erased by the next run.
	 */
	VERIFIED,

	/**
	 * Erasure refused for now because a legal hold applies (Art. 17(3)(e)); re-evaluated at
	 * every run and erased once the hold is released.
	 */
	ON_HOLD,

	/**
	 * Erasure refused because the data is still needed to perform an open contract; the
	 * requester is told why (Art. 12(4)).
	 */
	REJECTED,

	/**
	 * Erased; {@code verified_at} is set once verification found no residual data.
	 */
	COMPLETED,

	/**
	 * The job could not complete the erasure ({@code error_code} says why); picked up
	 * again by later runs until the attempts are used up.
	 */
	FAILED;

}
