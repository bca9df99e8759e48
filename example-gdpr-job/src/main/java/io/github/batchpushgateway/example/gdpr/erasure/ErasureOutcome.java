package io.github.batchpushgateway.example.gdpr.erasure;

/**
 * What processing one request led to. Holds and refusals are business outcomes, decided and
 * recorded like an erasure, not errors.
 */
public enum ErasureOutcome {

	/**
	 * The subject's data was erased (or restricted where the law requires keeping it).
	 */
	COMPLETED,

	/**
	 * An active legal hold applies; nothing was erased.
	 */
	ON_HOLD,

	/**
	 * A contract still needs the data; only marketing data was erased.
	 */
	REJECTED,

	/**
	 * Nothing was held about the subject; nothing to erase.
	 */
	NO_DATA_HELD,

	/**
	 * Marked verified without a recorded identity verification (GDPR Art. 12(6)); nothing
	 * was erased and the request was set to FAILED for a person to look at.
	 */
	IDENTITY_NOT_VERIFIED,

	/**
	 * The request was no longer waiting for erasure when its turn came; nothing was done.
	 */
	NOT_PROCESSABLE;

}
