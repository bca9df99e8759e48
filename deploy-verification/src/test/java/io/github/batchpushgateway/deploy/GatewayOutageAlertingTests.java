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
 * {@code alertmanager.yml} in Alertmanager, and a Pushgateway holding finished jobs that then goes
 * away: the example GDPR job run with {@code java -jar}, or, for the restart case, jobs pushed as a
 * plain HTTP PUT of the starter's text payload. Prometheus runs a test copy of
 * {@code prometheus.yml} that scrapes and evaluates every second, and the rules' {@code for:}
 * durations are shortened sixty-fold in the test copy ({@link ShortDurationRules}); nothing else
 * differs from the files in {@code deploy/}.
 */
class GatewayOutageAlertingTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	@TempDir
	Path rules;

	@Test
	void aGatewayOutageAfterTheExampleJobRanRaisesOneAlertAndInhibitsThePerJobAlertsItCauses(@TempDir Path work) {
		try (AlertmanagerServer alertmanager = AlertmanagerServer.start(DeployFiles.alertmanagerConfig());
				PushgatewayServer gateway = PushgatewayServer.start()) {
			// given the example job has run and a failed job's alert flows to Alertmanager
			int exitCode = ExampleJobProcess.run(gateway.address(), work, 300);
			assertThat(exitCode).as(ExampleJobProcess.tail(work.resolve("example-job.log"))).isZero();
			pushAFailedJob(gateway);
			try (PrometheusServer prometheus = PrometheusServer.start(config(gateway, alertmanager))) {
				prometheus.awaitQuery("batch_job_status{job=\"gdprErasureJob\",status=\"COMPLETED\"} == 1",
						(results) -> results.size() == 1, TIMEOUT);
				awaitTheFailedJobsAlert(alertmanager);

				// when the gateway goes away
				gateway.stop();

				// then
				List<Alert> during = Alertmanagers.await(alertmanager,
						"PushgatewayDown and both jobs' BatchJobMetricsVanished, the jobs' own alerts resolved",
						(alerts) -> has(alerts, "PushgatewayDown")
								&& alerts.stream().anyMatch((alert) -> alert.is("BatchJobMetricsVanished", "importJob"))
								&& alerts.stream().anyMatch((alert) -> alert.is("BatchJobMetricsVanished", "gdprErasureJob"))
								&& alerts.stream()
									.filter((alert) -> alert.state().equals("active"))
									.allMatch((alert) -> alert.is("PushgatewayDown", null)),
						TIMEOUT);
				Alert gatewayDown = only(during, "PushgatewayDown");
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

	@Test
	void aGatewayRestartedWithoutPersistenceRaisesOneAlertForAllTheJobsItLost() {
		try (AlertmanagerServer alertmanager = AlertmanagerServer.start(DeployFiles.alertmanagerConfig());
				PushgatewayServer gateway = PushgatewayServer.start()) {
			// given
			pushAFailedAndASuccessfulJob(gateway);
			try (PrometheusServer prometheus = PrometheusServer.start(config(gateway, alertmanager))) {
				awaitTheFailedJobsAlert(alertmanager);

				// when: back at once, empty, before PushgatewayDown could matter
				gateway.restart();

				// then
				List<Alert> after = Alertmanagers.await(alertmanager,
						"PushgatewayLostJobs and both jobs' BatchJobMetricsVanished, the gateway up",
						(alerts) -> has(alerts, "PushgatewayLostJobs") && bothJobsVanished(alerts)
								&& alerts.stream().noneMatch((alert) -> alert.is("PushgatewayDown", null)),
						TIMEOUT);
				Alert lostJobs = only(after, "PushgatewayLostJobs");
				assertThat(lostJobs.state()).isEqualTo("active");
				assertThat(lostJobs.receivers()).containsExactly("team-tickets");
				assertThat(after).filteredOn((alert) -> alert.is("BatchJobMetricsVanished", null))
					.hasSize(2)
					.allSatisfy((alert) -> {
						assertThat(alert.state()).isEqualTo("suppressed");
						assertThat(alert.inhibitedBy()).containsExactly(lostJobs.fingerprint());
					});
				assertThat(after).filteredOn((alert) -> alert.state().equals("active"))
					.as("the one alert a restart that lost every job raises")
					.containsExactly(lostJobs);
			}
		}
	}

	private static void pushAFailedJob(PushgatewayServer gateway) {
		Instant now = Instant.now();
		new FinishedJobPayload("importJob", "FAILED", now.minusSeconds(60), now.minusSeconds(30)).putTo(gateway);
	}

	private static void pushAFailedAndASuccessfulJob(PushgatewayServer gateway) {
		Instant now = Instant.now();
		new FinishedJobPayload("importJob", "FAILED", now.minusSeconds(60), now.minusSeconds(30)).putTo(gateway);
		new FinishedJobPayload("exportJob", "COMPLETED", now.minusSeconds(50), now.minusSeconds(20)).putTo(gateway);
	}

	/**
	 * Waits until the failed job's alert is active in Alertmanager: the rules are loaded, the
	 * gateway scraped, and alerts flow, with nothing about the gateway yet.
	 */
	private static void awaitTheFailedJobsAlert(AlertmanagerServer alertmanager) {
		List<Alert> before = Alertmanagers.await(alertmanager, "the failed job's alert",
				(alerts) -> alerts.stream().anyMatch((alert) -> alert.is("BatchJobLastRunFailed", "importJob")),
				TIMEOUT);
		assertThat(only(before, "BatchJobLastRunFailed")).satisfies((alert) -> {
			assertThat(alert.state()).isEqualTo("active");
			assertThat(alert.labels()).containsEntry("job", "importJob").containsEntry("exit_code", "FAILED");
			assertThat(alert.receivers()).containsExactly("team-tickets");
		});
		assertThat(before).extracting(Alert::name)
			.doesNotContain("PushgatewayDown", "PushgatewayLostJobs", "BatchJobMetricsVanished");
	}

	private static boolean has(List<Alert> alerts, String alertName) {
		return alerts.stream().anyMatch((alert) -> alert.is(alertName, null));
	}

	private static boolean bothJobsVanished(List<Alert> alerts) {
		return alerts.stream().anyMatch((alert) -> alert.is("BatchJobMetricsVanished", "importJob"))
				&& alerts.stream().anyMatch((alert) -> alert.is("BatchJobMetricsVanished", "exportJob"));
	}

	private static Alert only(List<Alert> alerts, String alertName) {
		List<Alert> matching = alerts.stream().filter((alert) -> alert.is(alertName, null)).toList();
		assertThat(matching).as(alertName).hasSize(1);
		return matching.get(0);
	}

	/**
	 * Renders a test copy of {@code deploy/prometheus/prometheus.yml}: intervals of one second, the
	 * shortened rule files, and the loopback addresses of this test's gateway and Alertmanager in
	 * place of the compose service names. The other scrape jobs are left out.
	 */
	private String config(PushgatewayServer gateway, AlertmanagerServer alertmanager) {
		Map<String, Object> config = FastPrometheusConfig.of(gateway, this.rules);
		for (Object manager : Yaml.list(Yaml.map(config.get("alerting")).get("alertmanagers"))) {
			Yaml.map(manager).put("static_configs", List.of(Map.of("targets", List.of(alertmanager.address()))));
		}
		return Yaml.write(config);
	}

}
