package io.github.batchpushgateway.example.gdpr.erasure;

/**
 * Erasing one subject failed. Carries the request id and an error code instead of the
 * underlying database exception: its message can quote the offending values, which are
 * personal data, and Spring Batch logs step failures with their causes.
 */
public class SubjectErasureException extends RuntimeException {

	private final long requestId;

	private final String errorCode;

	/**
	 * Creates an exception without a cause.
	 * @param requestId the request being processed
	 * @param errorCode what went wrong, as a code
	 */
	public SubjectErasureException(long requestId, String errorCode) {
		super("Erasure of request " + requestId + " failed: " + errorCode);
		this.requestId = requestId;
		this.errorCode = errorCode;
	}

	public long getRequestId() {
		return this.requestId;
	}

	public String getErrorCode() {
		return this.errorCode;
	}

}
