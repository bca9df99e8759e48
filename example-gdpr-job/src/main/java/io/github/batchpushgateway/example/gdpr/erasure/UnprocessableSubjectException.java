package io.github.batchpushgateway.example.gdpr.erasure;

import java.util.List;

/**
 * Erasing a subject failed because of that subject's data (a constraint the erasure does
 * not know about, for example a row in another table that still references the customer).
 * Other subjects are not affected: the job skips this one, sets its request to
 * {@link RequestStatus#FAILED FAILED} with the error code, and carries on.
 */
public class UnprocessableSubjectException extends SubjectErasureException {

	public UnprocessableSubjectException(List<Long> requestIds, String errorCode) {
		super(requestIds, errorCode);
	}

}
