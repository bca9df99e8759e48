package io.github.batchpushgateway.example.gdpr.job;

/**
 * The job refuses to erase anything because its configuration is incomplete. The job fails
 * (so the failure reaches the Pushgateway and alerts) before any data is touched.
 */
public class PreconditionsNotMetException extends RuntimeException {

	public PreconditionsNotMetException(String message) {
		super(message);
	}

}
