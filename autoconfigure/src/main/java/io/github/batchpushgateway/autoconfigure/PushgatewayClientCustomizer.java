package io.github.batchpushgateway.autoconfigure;

import io.github.batchpushgateway.push.PushgatewayHttpClient;

/**
 * Customizes the Pushgateway client before it is built, once, at startup: for example to add a
 * header that an authenticating proxy in front of the gateway needs. Declare implementations as
 * beans; they are applied in order, after the settings of {@code batch.pushgateway.*}.
 */
@FunctionalInterface
public interface PushgatewayClientCustomizer {

	/**
	 * Customizes the client's builder.
	 * @param builder the builder, with address, scheme, credentials, format, timeouts and TLS
	 * already set
	 */
	void customize(PushgatewayHttpClient.Builder builder);

}
