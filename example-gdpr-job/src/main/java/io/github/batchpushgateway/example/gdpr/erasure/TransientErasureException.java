package io.github.batchpushgateway.example.gdpr.erasure;

import org.springframework.dao.TransientDataAccessException;

/**
 * A transient database error (lock timeout, deadlock, concurrent change) while erasing one
 * subject: the subject's transaction is retried. Like {@link SubjectErasureException} it
 * carries an error code instead of the database's message.
 */
public class TransientErasureException extends TransientDataAccessException {

	public TransientErasureException(long requestId, String errorCode) {
		super("Erasure of request " + requestId + " hit a transient error: " + errorCode);
	}

}
