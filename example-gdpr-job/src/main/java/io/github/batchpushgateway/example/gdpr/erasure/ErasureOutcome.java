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
	 * An open contract still needs the data; nothing was erased.
	 */
	REJECTED,

	/**
	 * The request was no longer waiting for erasure when its turn came; nothing was done.
	 */
	NOT_PROCESSABLE;

}
