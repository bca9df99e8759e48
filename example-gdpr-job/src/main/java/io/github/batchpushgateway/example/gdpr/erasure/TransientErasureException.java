package io.github.batchpushgateway.example.gdpr.erasure;

import java.util.List;

import org.springframework.dao.TransientDataAccessException;

/**
 * A transient database error (lock timeout, deadlock, concurrent change) while erasing a
 * chunk's subjects: the chunk's transaction is retried, and when the error outlasts the
 * retries the chunk is written again one subject per transaction and a subject that still
 * fails is skipped like an {@link UnprocessableSubjectException} (its request becomes
 * {@link RequestStatus#FAILED FAILED} with this error code and a later run tries again), so
 * one stuck subject does not stop everyone else's erasure. Like
 * {@link SubjectErasureException} it carries an error code instead of the database's message.
 */
public class TransientErasureException extends TransientDataAccessException {

	private final String errorCode;

	public TransientErasureException(List<Long> requestIds, String errorCode) {
		super("Erasure of " + SubjectErasureException.describe(requestIds) + " hit a transient error: " + errorCode);
		this.errorCode = errorCode;
	}

	/**
	 * Returns what went wrong, as a code safe to log and store.
	 * @return the code, for example {@code SQLSTATE_HYT00}
	 */
	public String getErrorCode() {
		return this.errorCode;
	}

}
