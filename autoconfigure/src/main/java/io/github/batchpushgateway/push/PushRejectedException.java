package io.github.batchpushgateway.push;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Pushgateway answered a push with an error status. Whether a retry can help depends on the
 * status: a server error or a throttle may pass, a rejected payload (400: a metric pushed with
 * another type in another group) or refused credentials (401, 403) will not.
 */
public final class PushRejectedException extends IOException {

	// The Prometheus client reports the status only in its message.
	private static final Pattern STATUS = Pattern.compile("Response code from \\S+ was (\\d{3})");

	private final int status;

	/**
	 * Creates an exception.
	 * @param status the HTTP status the gateway answered with
	 * @param cause the client's exception, whose message carries the gateway's answer
	 */
	public PushRejectedException(int status, IOException cause) {
		super(cause.getMessage(), cause);
		this.status = status;
	}

	/**
	 * Returns the HTTP status the gateway answered with.
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
	 * Returns whether a failed push is worth retrying: any failure but a rejection that a retry
	 * cannot change.
	 * @param failure why the push failed
	 * @return whether to retry it
	 */
	public static boolean isWorthRetrying(Throwable failure) {
		return !(failure instanceof PushRejectedException rejected) || rejected.isTransient();
	}

	/**
	 * Returns the client's exception as a {@code PushRejectedException} when it reports an error
	 * status, else unchanged.
	 * @param failure the client's exception
	 * @return the exception to throw
	 */
	static IOException classify(IOException failure) {
		Matcher matcher = STATUS.matcher(String.valueOf(failure.getMessage()));
		return matcher.find() ? new PushRejectedException(Integer.parseInt(matcher.group(1)), failure) : failure;
	}

}
