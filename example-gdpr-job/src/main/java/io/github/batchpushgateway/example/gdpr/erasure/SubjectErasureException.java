package io.github.batchpushgateway.example.gdpr.erasure;

import java.util.List;

/**
 * Erasing the subjects of a chunk failed (one subject, once Spring Batch writes the chunk again
 * one request at a time to isolate the failing one). Carries the request ids and an error
 * code instead of the underlying database exception: its message can quote the offending values, which are
 * personal data, and Spring Batch logs step failures with their causes.
 */
public class SubjectErasureException extends RuntimeException {

	private final List<Long> requestIds;

	private final String errorCode;

	/**
	 * Creates an exception without a cause.
	 * @param requestIds the requests being processed together, one when a failing subject is
	 * isolated
	 * @param errorCode what went wrong, as a code
	 */
	public SubjectErasureException(List<Long> requestIds, String errorCode) {
		super("Erasure of " + describe(requestIds) + " failed: " + errorCode);
		this.requestIds = List.copyOf(requestIds);
		this.errorCode = errorCode;
	}

	public List<Long> getRequestIds() {
		return this.requestIds;
	}

	public String getErrorCode() {
		return this.errorCode;
	}

	/**
	 * Names requests for a message: ids only, never a subject's data.
	 * @param requestIds the requests
	 * @return "request 7" or "requests [7, 8]"
	 */
	static String describe(List<Long> requestIds) {
		return (requestIds.size() == 1) ? "request " + requestIds.get(0) : "requests " + requestIds;
	}

}
