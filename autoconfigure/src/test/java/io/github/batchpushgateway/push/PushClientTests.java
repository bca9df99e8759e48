package io.github.batchpushgateway.push;

import java.net.URI;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PushClient}'s description, by which failures are reported per target.
 */
class PushClientTests {

	@Test
	void twoTargetsOfOneClassAreToldApartByTheirDefaultDescription() {
		PushClient first = new OwnClient();
		PushClient second = new OwnClient();

		assertThat(first.describe()).startsWith(OwnClient.class.getName()).isNotEqualTo(second.describe());
		assertThat(first.describe()).isEqualTo(first.describe());
	}

	@Test
	void twoGatewaysAreToldApartByTheirAddress() {
		PushClient first = PushgatewayHttpClient.builder(URI.create("http://gateway-a:9091")).build();
		PushClient second = PushgatewayHttpClient.builder(URI.create("http://gateway-b:9091")).build();

		assertThat(first.describe()).isEqualTo("http://gateway-a:9091");
		assertThat(second.describe()).isEqualTo("http://gateway-b:9091");
	}

	private static final class OwnClient implements PushClient {

		@Override
		public void push(PushGroup group, MetricSnapshots metrics) {
		}

	}

}
