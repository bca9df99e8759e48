package io.github.batchpushgateway.metrics;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * Converts Spring Batch's times, which are {@link LocalDateTime}s in the JVM's zone, to instants.
 *
 * <p>Internal; not an extension point: public only for the starter's other packages, and may
 * change in any release.
 */
public final class BatchTimes {

	private BatchTimes() {
	}

	/**
	 * Returns the instant of a Spring Batch time.
	 * @param time a start, end or update time of an execution
	 * @return the same moment as an instant
	 */
	public static Instant toInstant(LocalDateTime time) {
		return time.atZone(ZoneId.systemDefault()).toInstant();
	}

}
