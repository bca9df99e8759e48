package io.github.batchpushgateway.push;

import java.io.IOException;

/**
 * A target answered with an error status. Whether a retry can help depends on the status: a
 * server error or a throttle may pass, a rejected payload (400: a metric pushed with another type
 * in another group) or refused credentials (401, 403) will not.
 */
public final class PushRejectedException extends IOException {

	private final int status;

	/**
	 * Creates an exception.
	 * @param status the HTTP status the target answered with
	 * @param message what was refused and the target's answer, never credentials
	 */
	public PushRejectedException(int status, String message) {
		super(message);
		this.status = status;
	}

	/**
	 * Returns the HTTP status the target answered with.
	 * @return the status
	 */
	public int getStatus() {
		return this.status;
	}

	/**
	 * Returns whether the same push may succeed later: server errors, 408 and 429.
	 * @return whether to retry
	 */
	public boolean isTransient() {
		return this.status >= 500 || this.status == 408 || this.status == 429;
	}

	/**
	 * Decides, for every target, whether a failed push is worth retrying: any failure but a
	 * rejection that a retry cannot change. The retry policy and the redelivery of given-up state
	 * both ask here, so the two never disagree.
	 * @param failure why the push failed
	 * @return whether to retry it
	 */
	public static boolean isWorthRetrying(Throwable failure) {
		return !(failure instanceof PushRejectedException rejected) || rejected.isTransient();
	}

}
