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
	 * Erasure refused for now because the data is still needed to perform a contract (an
	 * order open, or in a status the job does not know); marketing consents were erased and
	 * the address suppressed at once (Art. 7(3), 21(3)), the requester was told why (Art.
	 * 12(4)), and the request is looked at again at every run and erased once the contract
	 * ends.
	 */
	REJECTED,

	/**
	 * Erased; {@code verified_at} is set once verification found no residual data.
	 */
	COMPLETED,

	/**
	 * The shop held no data under the subject's identifiers: the requester is told so, not
	 * told "erased".
	 */
	NO_DATA_HELD,

	/**
	 * The job could not complete the erasure ({@code error_code} says why); picked up
	 * again by later runs until the attempts are used up.
	 */
	FAILED;

}
