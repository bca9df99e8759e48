package io.github.batchpushgateway.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.batchpushgateway.testsupport.PrometheusServer.QueryResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class PrometheusServerTests {

	@Test
	void scrapesTheGatewayKeepingThePushedJobLabel() throws Exception {
		// given
		try (PushgatewayServer gateway = PushgatewayServer.start();
				PrometheusServer prometheus = PrometheusServer
					.start(PrometheusServer.scrapeConfigFor(gateway.address(), Duration.ofMillis(500)))) {
			Pushes.put(gateway, "job/importJob", """
					# TYPE batch_job_duration_seconds gauge
					batch_job_duration_seconds 42.5
					""");

			// when
			List<QueryResult> result = prometheus.awaitQuery("batch_job_duration_seconds", (r) -> !r.isEmpty(),
					Duration.ofSeconds(20));

			// then
			assertThat(result).singleElement().satisfies((series) -> {
				assertThat(series.labels()).containsEntry("job", "importJob").doesNotContainKey("exported_job");
				assertThat(series.value()).isEqualTo(42.5);
			});
			assertThat(prometheus.query("scalar(vector(7))")).containsExactly(new QueryResult(Map.of(), 7.0));
			prometheus.reload();
			assertThat(prometheus.getJson("/api/v1/targets")).contains(gateway.address());
		}
	}

	@Test
	void awaitQueryFailsWithTheLastResult() {
		try (PrometheusServer prometheus = PrometheusServer
			.start(PrometheusServer.scrapeConfigFor("127.0.0.1:1", Duration.ofSeconds(1)))) {
			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> prometheus.awaitQuery("vector(1)", (r) -> r.isEmpty(), Duration.ofMillis(600)))
				.withMessageContaining("last result: [QueryResult[labels={}, value=1.0]]");
			assertThatIllegalStateException().isThrownBy(() -> prometheus.query("sum(("))
				.withMessageContaining("HTTP 400");
		}
	}

	@Test
	void invalidConfigurationFailsWithTheLogTail() {
		assertThatIllegalStateException().isThrownBy(() -> PrometheusServer.start("scrape_configs: [oops"))
			.withMessageContaining("prometheus exited")
			.withMessageContaining("Error loading config");
	}

}
