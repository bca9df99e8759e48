package io.github.batchpushgateway.push;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.jspecify.annotations.Nullable;

/**
 * Gives the sender a group's newest state just before each push, so that the state is built on
 * the sending side, never on a job's thread, and no push carries an outdated snapshot.
 *
 * <p>Internal; not an extension point: public only for the starter's other packages, and may
 * change in any release.
 */
public interface GroupStateSource {

	/**
	 * Takes in what a target already holds for a group, read back before the group's first push
	 * in this JVM. The newest of each outcome wins.
	 * @param group the group
	 * @param held the outcomes the target holds
	 */
	void absorb(PushGroup group, GroupOutcomes held);

	/**
	 * Returns the group's complete current state.
	 * @param group the group
	 * @return its metrics, or {@code null} when nothing is known of the group
	 */
	@Nullable MetricSnapshots snapshot(PushGroup group);

}
