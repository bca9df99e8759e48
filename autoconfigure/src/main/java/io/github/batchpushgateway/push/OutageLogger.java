package io.github.batchpushgateway.push;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs a Pushgateway outage once at WARN when the first push fails, and its end at INFO, rather
 * than one line per failed attempt. A push the gateway rejects for good (a payload it refuses,
 * credentials it does not accept) is no outage: it is logged once per group and status until that
 * group is accepted again, whatever other groups do. Messages name the gateway's address and the
 * cause, never credentials (they travel in headers, which no message here contains).
 *
 * <p>Internal; not an extension point: public only for the starter's other packages, and may
 * change in any release.
 */
public final class OutageLogger implements PushListener {

	private static final Log logger = LogFactory.getLog(OutageLogger.class);

	private static final int MAX_DESCRIPTION = 300;

	private final String gateway;

	private final AtomicLong failuresInOutage = new AtomicLong();

	private final Map<PushGroup, Integer> rejectedGroups = new ConcurrentHashMap<>();

	/**
	 * Creates a logger.
	 * @param gateway the target as shown in messages, such as
	 * {@code the Pushgateway at http://localhost:9091}
	 */
	public OutageLogger(String gateway) {
		this.gateway = gateway;
	}

	@Override
	public void pushSucceeded(PushGroup group, Duration duration) {
		if (this.rejectedGroups.remove(group) != null) {
			logger.info("The state of " + group + " is accepted by " + this.gateway + " again");
		}
		long failures = this.failuresInOutage.getAndSet(0);
		if (failures > 0) {
			logger.info("Pushes to " + this.gateway + " succeed again, after " + failures
					+ " failed attempt(s)");
		}
	}

	@Override
	public void pushFailed(PushGroup group, Exception failure, Duration duration) {
		if (!PushRejectedException.isWorthRetrying(failure)) {
			int status = ((PushRejectedException) failure).getStatus();
			Integer previous = this.rejectedGroups.put(group, status);
			if (previous == null || previous != status) {
				logger.warn("The state of " + group + " is rejected by " + this.gateway + " ("
						+ describe(failure) + "). Not retried; the job's next event is sent as usual");
			}
			return;
		}
		if (this.failuresInOutage.getAndIncrement() == 0) {
			logger.warn("Pushes to " + this.gateway + " are failing (" + describe(failure)
					+ "). Jobs go on; each job's newest state is kept and sent again, and recovery will be logged");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Push of " + group + " failed again: " + describe(failure));
		}
	}

	private static String describe(Throwable failure) {
		// A failure without a message (a bare SocketTimeoutException) is named by its class.
		StringBuilder description = new StringBuilder(
				(failure.getMessage() != null) ? failure.getMessage() : failure.getClass().getSimpleName());
		Throwable cause = failure.getCause();
		if (cause != null && cause != failure && cause.getMessage() != null
				&& !description.toString().contains(cause.getMessage())) {
			description.append(": ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
		}
		// The gateway's answer body is part of the message: keep the WARN one bounded line.
		String line = description.toString().replaceAll("\\s+", " ").trim();
		return (line.length() > MAX_DESCRIPTION) ? line.substring(0, MAX_DESCRIPTION) + "..." : line;
	}

}
