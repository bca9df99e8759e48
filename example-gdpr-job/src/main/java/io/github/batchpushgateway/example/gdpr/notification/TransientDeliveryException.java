package io.github.batchpushgateway.example.gdpr.notification;

/**
 * A delivery failed in a way that a later attempt may not (timeout, 503, 429): retried with
 * backoff, and left queued for the next run when the retries run out.
 */
public class TransientDeliveryException extends RuntimeException {

	private final String errorCode;

	/**
	 * Creates an exception.
	 * @param errorCode what went wrong, as a code that is safe to log and store
	 */
	public TransientDeliveryException(String errorCode) {
		super("Delivery failed transiently: " + errorCode);
		this.errorCode = errorCode;
	}

	public String getErrorCode() {
		return this.errorCode;
	}

}
