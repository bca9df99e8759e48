package io.github.batchpushgateway.push;

import java.io.IOException;
import java.util.function.Supplier;

import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.springframework.util.Assert;

/**
 * A {@link PushClient} on the Prometheus Java client's {@link PushGateway}, which writes the
 * protobuf or text format and handles the URL encoding of the group. Error answers of the gateway
 * are thrown as {@link PushRejectedException}s.
 */
public final class PrometheusPushClient implements PushClient {

	private final Supplier<PushGateway.Builder> builders;

	/**
	 * Creates a client.
	 * @param builders supplies a new builder, with address, scheme, authentication, format,
	 * timeouts and connection factory already set, for each push
	 */
	public PrometheusPushClient(Supplier<PushGateway.Builder> builders) {
		Assert.notNull(builders, "'builders' must not be null");
		this.builders = builders;
	}

	@Override
	public void push(PushGroup group, MetricSnapshots metrics) throws IOException {
		// A PushGateway is bound to one group; building one is cheap and keeps no cache that
		// grouping parameters with many values could grow.
		PushGateway.Builder builder = this.builders.get().job(group.job());
		group.groupingKey().forEach(builder::groupingKey);
		try {
			builder.build().push(() -> metrics);
		}
		catch (IOException ex) {
			throw PushRejectedException.classify(ex);
		}
	}

}
