package io.github.batchpushgateway.push;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link GatewayRequest}.
 */
class GatewayRequestTests {

	@Test
	void aRequestsOwnHeaderReplacesTheClientsOfTheSameNameAndTheOthersStay() {
		Map<String, String> client = new LinkedHashMap<>();
		client.put("X-Proxy", "p");
		client.put("Accept", "*/*");

		GatewayRequest request = GatewayRequest.of("GET", URI.create("http://127.0.0.1:9091/metrics"), client,
				Map.of("Accept", "text/plain; version=0.0.4"));

		assertThat(request.headers()).containsExactly(Map.entry("X-Proxy", "p"),
				Map.entry("Accept", "text/plain; version=0.0.4"));
		client.put("X-Later", "l");
		assertThat(request.headers()).doesNotContainKey("X-Later");
	}

	@Test
	void theUrlIsTheUrisAddress() {
		URI uri = URI.create("http://127.0.0.1:9091/metrics/job/a%20b");

		GatewayRequest request = GatewayRequest.of("PUT", uri, Map.of(), Map.of());

		assertThat(request.url().toExternalForm()).isEqualTo(uri.toString());
	}

	@Test
	void anAddressThatIsNoUrlIsRefusedWithIt() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> GatewayRequest.of("GET", URI.create("/metrics"), Map.of(), Map.of()))
			.withMessageContaining("/metrics");
	}

}
