package io.github.batchpushgateway.push;

import java.time.Duration;

/**
 * Told about every push attempt, for logging and self-monitoring. Declare implementations as
 * beans: each is told of every attempt at every target. Called on the sender thread;
 * implementations must be quick and must not throw.
 */
public interface PushListener {

	/**
	 * A push attempt succeeded.
	 * @param group the group that was pushed
	 * @param duration how long the attempt took
	 */
	default void pushSucceeded(PushGroup group, Duration duration) {
	}

	/**
	 * A push attempt failed. Retries may follow.
	 * @param group the group that was pushed
	 * @param failure why it failed
	 * @param duration how long the attempt took
	 */
	default void pushFailed(PushGroup group, Exception failure, Duration duration) {
	}

}
