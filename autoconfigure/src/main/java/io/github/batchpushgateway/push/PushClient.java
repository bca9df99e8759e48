package io.github.batchpushgateway.push;

import java.io.IOException;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * Sends one group's complete state to a Pushgateway, replacing what the group held (HTTP PUT).
 */
@FunctionalInterface
public interface PushClient {

	/**
	 * Replaces the group's metrics with the given ones. Blocks until the gateway answers or a
	 * timeout expires.
	 * @param group the group to replace
	 * @param metrics the group's complete state
	 * @throws IOException when the gateway cannot be reached or rejects the push
	 */
	void push(PushGroup group, MetricSnapshots metrics) throws IOException;

}
