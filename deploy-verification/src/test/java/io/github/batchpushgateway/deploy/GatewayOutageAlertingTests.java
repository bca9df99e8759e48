package io.github.batchpushgateway.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.batchpushgateway.deploy.Alertmanagers.Alert;
import io.github.batchpushgateway.testsupport.AlertmanagerServer;
import io.github.batchpushgateway.testsupport.PrometheusServer;
import io.github.batchpushgateway.testsupport.PushgatewayServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end with the real binaries: the shipped rules in Prometheus, the shipped
 * {@code alertmanager.yml} in Alertmanager, and a Pushgateway holding finished jobs (pushed as a
 * plain HTTP PUT of the starter's text payload) that then goes away. Prometheus runs a test copy of
 * {@code prometheus.yml} that scrapes and evaluates every second, and the rules' {@code for:}
 * durations are shortened sixty-fold in the test copy ({@link ShortDurationRules}); nothing else
 * differs from the files in {@code deploy/}.
 */
class GatewayOutageAlertingTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	@TempDir
	Path rules;

	@Test
	void aGatewayOutageRaisesOneAlertAndInhibitsThePerJobAlertsItCauses() {
		try (AlertmanagerServer alertmanager = AlertmanagerServer.start(DeployFiles.alertmanagerConfig());
				PushgatewayServer gateway = PushgatewayServer.start()) {
			// given: one failed and one successful job in the gateway, and alerting working
			Instant now = Instant.now();
			new FinishedJobPayload("importJob", "FAILED", now.minusSeconds(60), now.minusSeconds(30)).putTo(gateway);
			new FinishedJobPayload("exportJob", "COMPLETED", now.minusSeconds(50), now.minusSeconds(20)).putTo(gateway);
			try (PrometheusServer prometheus = PrometheusServer.start(config(gateway, alertmanager))) {
				List<Alert> before = Alertmanagers.await(alertmanager, "the failed job's alert",
						(alerts) -> alerts.stream().anyMatch((alert) -> alert.is("BatchJobLastRunFailed", "importJob")),
						TIMEOUT);
				assertThat(before).filteredOn((alert) -> alert.is("BatchJobLastRunFailed", "importJob"))
					.singleElement()
					.satisfies((alert) -> {
						assertThat(alert.state()).isEqualTo("active");
						assertThat(alert.receivers()).containsExactly("team-tickets");
					});
				assertThat(before).extracting(Alert::name).doesNotContain("PushgatewayDown", "BatchJobMetricsVanished");

				// when
				gateway.stop();

				// then
				List<Alert> during = Alertmanagers.await(alertmanager,
						"PushgatewayDown and both jobs' BatchJobMetricsVanished, the failed-run alert resolved",
						(alerts) -> alerts.stream().anyMatch((alert) -> alert.is("PushgatewayDown", null))
								&& alerts.stream().anyMatch((alert) -> alert.is("BatchJobMetricsVanished", "importJob"))
								&& alerts.stream().anyMatch((alert) -> alert.is("BatchJobMetricsVanished", "exportJob"))
								&& alerts.stream().noneMatch((alert) -> alert.is("BatchJobLastRunFailed", null)),
						TIMEOUT);
				Alert gatewayDown = during.stream()
					.filter((alert) -> alert.is("PushgatewayDown", null))
					.findFirst()
					.orElseThrow();
				assertThat(gatewayDown.state()).isEqualTo("active");
				assertThat(gatewayDown.receivers()).containsExactly("on-call-pager");
				assertThat(gatewayDown.labels()).containsEntry("instance", gateway.address());
				assertThat(during).filteredOn((alert) -> alert.is("BatchJobMetricsVanished", null))
					.hasSize(2)
					.allSatisfy((alert) -> {
						assertThat(alert.state()).isEqualTo("suppressed");
						assertThat(alert.inhibitedBy()).containsExactly(gatewayDown.fingerprint());
					});
				assertThat(during).filteredOn((alert) -> alert.state().equals("active"))
					.as("the one alert an outage raises")
					.containsExactly(gatewayDown);
			}
		}
	}

	/**
	 * Renders a test copy of {@code deploy/prometheus/prometheus.yml}: intervals of one second, the
	 * shortened rule files, and the loopback addresses of this test's gateway and Alertmanager in
	 * place of the compose service names. The other scrape jobs are left out.
	 */
	private String config(PushgatewayServer gateway, AlertmanagerServer alertmanager) {
		Map<String, Object> config = Yaml.read(DeployFiles.prometheusConfig());
		Map<String, Object> global = Yaml.map(config.get("global"));
		global.put("scrape_interval", "1s");
		global.put("evaluation_interval", "1s");
		config.put("rule_files", List.of(ShortDurationRules.writeTo(this.rules)));
		for (Object manager : Yaml.list(Yaml.map(config.get("alerting")).get("alertmanagers"))) {
			Yaml.map(manager).put("static_configs", List.of(Map.of("targets", List.of(alertmanager.address()))));
		}
		Map<String, Object> gatewayScrape = Yaml.list(config.get("scrape_configs"))
			.stream()
			.map(Yaml::map)
			.filter((scrape) -> "pushgateway".equals(scrape.get("job_name")))
			.findFirst()
			.orElseThrow();
		gatewayScrape.put("static_configs", List.of(Map.of("targets", List.of(gateway.address()))));
		config.put("scrape_configs", List.of(gatewayScrape));
		return Yaml.write(config);
	}

}
