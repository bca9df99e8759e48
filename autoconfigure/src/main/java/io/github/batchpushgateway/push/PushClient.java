package io.github.batchpushgateway.push;

import java.io.IOException;
import java.time.Instant;
import java.util.Set;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.jspecify.annotations.Nullable;

/**
 * Sends one group's complete state to a target, replacing what the group held there, and reads
 * back what the target holds for a group.
 *
 * <p>Declare {@code PushClient} beans to choose the targets yourself: they replace the gateways
 * and the textfile directory of {@code batch.pushgateway.*}. {@link PushgatewayHttpClient} and
 * {@link TextfileClient} are ready-made ones.
 */
@FunctionalInterface
public interface PushClient {

	/**
	 * Replaces the group's metrics with the given ones. Blocks until the target answers or a
	 * timeout expires.
	 * @param group the group to replace
	 * @param metrics the group's complete state
	 * @throws IOException when the target cannot be reached or rejects the push; a
	 * {@link PushRejectedException} carries the HTTP status
	 */
	void push(PushGroup group, MetricSnapshots metrics) throws IOException;

	/**
	 * Reads the last success and last failure the target holds for a group.
	 * @param group the group
	 * @return what the target holds, {@link GroupOutcomes#NONE} when it holds nothing for the
	 * group, or when it cannot be read back (the default)
	 * @throws IOException when the target cannot be read now
	 */
	default GroupOutcomes readOutcomes(PushGroup group) throws IOException {
		return GroupOutcomes.NONE;
	}

	/**
	 * Returns when the target started, a cheap probe of whether it may have lost the groups pushed
	 * to it before: a gateway without a persistence file starts empty.
	 * @return the target's start, {@code null} when it keeps what it was given across restarts or
	 * cannot tell (the default)
	 * @throws IOException when the target cannot be read now
	 */
	default @Nullable Instant startTime() throws IOException {
		return null;
	}

	/**
	 * Returns the groups the target holds now.
	 * @return every group the target holds, {@code null} when it cannot tell (the default)
	 * @throws IOException when the target cannot be read now
	 */
	default @Nullable Set<PushGroup> heldGroups() throws IOException {
		return null;
	}

	/**
	 * Returns the target as shown in log messages and health details: its address, never
	 * credentials. Each target must be told apart by it, since failures are reported per
	 * description: a client with an address returns that address; the default is the class's
	 * name with the instance's identity, so two targets of one class never merge.
	 * @return the target's description
	 */
	default String describe() {
		return getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(this));
	}

}
