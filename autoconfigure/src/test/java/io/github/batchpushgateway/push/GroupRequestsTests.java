package io.github.batchpushgateway.push;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link GroupRequests}.
 */
class GroupRequestsTests {

	private final GroupRequests requests = new GroupRequests(URI.create("http://127.0.0.1:9091"),
			Map.of("Authorization", "Bearer t"), Map.of("Content-Type", "text/plain; version=0.0.4"));

	@Test
	void aGroupsPushIsAPutToItsPathWithTheClientsAndThePushsHeaders() {
		GatewayRequest push = this.requests.pushOf(new PushGroup("weekly report", Map.of("region", "a/b")));

		assertThat(push.method()).isEqualTo("PUT");
		assertThat(push.uri()).hasToString("http://127.0.0.1:9091/metrics/job/weekly%20report/region@base64/YS9i");
		assertThat(push.url().toExternalForm()).isEqualTo(push.uri().toString());
		assertThat(push.headers()).containsOnly(Map.entry("Authorization", "Bearer t"),
				Map.entry("Content-Type", "text/plain; version=0.0.4"));
	}

	@Test
	void aGroupsPushIsMadeOnceAndKeptForItsNextPushes() {
		GatewayRequest first = this.requests.pushOf(PushGroup.of("job"));

		assertThat(this.requests.pushOf(new PushGroup("job", Map.of()))).isSameAs(first);
		assertThat(this.requests.pushOf(PushGroup.of("other"))).isNotSameAs(first);
	}

	@Test
	void beyondTheKeptNumberOfGroupsEachPushIsMadeAnewAndStillRight() {
		for (int i = 0; i < GroupRequests.KEPT; i++) {
			this.requests.pushOf(PushGroup.of("job" + i));
		}
		PushGroup beyond = PushGroup.of("beyond");

		GatewayRequest push = this.requests.pushOf(beyond);

		assertThat(push.uri()).hasToString("http://127.0.0.1:9091/metrics/job/beyond");
		GatewayRequest again = this.requests.pushOf(beyond);
		assertThat(again).isNotSameAs(push);
		assertThat(again.uri()).isEqualTo(push.uri());
		assertThat(again.headers()).isEqualTo(push.headers());
		assertThat(this.requests.pushOf(PushGroup.of("job0"))).isSameAs(this.requests.pushOf(PushGroup.of("job0")));
	}

}
