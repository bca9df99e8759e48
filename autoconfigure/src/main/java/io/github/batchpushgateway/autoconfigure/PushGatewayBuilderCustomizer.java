package io.github.batchpushgateway.autoconfigure;

import io.prometheus.metrics.exporter.pushgateway.PushGateway;

/**
 * Customizes the {@link PushGateway.Builder} of every push, after the properties have been applied
 * and before the job and grouping key are set, for settings that have no property (request
 * headers through a connection factory, escaping scheme, ...). A customizer that replaces the
 * connection factory takes over TLS and the encoding of spaces in group paths.
 */
@FunctionalInterface
public interface PushGatewayBuilderCustomizer {

	/**
	 * Customizes the builder.
	 * @param builder the builder to customize
	 */
	void customize(PushGateway.Builder builder);

}
