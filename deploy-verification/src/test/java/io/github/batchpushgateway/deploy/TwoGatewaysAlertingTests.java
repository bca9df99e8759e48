package io.github.batchpushgateway.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.github.batchpushgateway.deploy.Alertmanagers.Alert;
import io.github.batchpushgateway.deploy.longjob.LongTaskletJobApplication;
import io.github.batchpushgateway.testsupport.AlertmanagerServer;
import io.github.batchpushgateway.testsupport.NodeExporterServer;
import io.github.batchpushgateway.testsupport.PrometheusServer;
import io.github.batchpushgateway.testsupport.PrometheusServer.QueryResult;
import io.github.batchpushgateway.testsupport.PushgatewayServer;
import io.github.batchpushgateway.testsupport.Teardown;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end with the real binaries, the setup of issue 8: two Pushgateways and node exporter's
 * textfile collector, scraped by a real Prometheus running a test copy of the shipped
 * {@code prometheus.yml} (both gateways and the node exporter in place of the compose service
 * names, intervals of one second, rule {@code for:} durations shortened sixty-fold by
 * {@link ShortDurationRules}, nothing else changed: the pushgateway label, honor_labels), and the
 * shipped {@code alertmanager.yml} in a real Alertmanager. Two {@code java} processes of
 * {@link LongTaskletJobApplication} run at once (progress interval 1 s):
 * <ul>
 * <li>{@code twoGatewayJob}, a 25 s tasklet pushing to both gateways
 * ({@code batch.pushgateway.addresses}). One gateway is stopped while it runs: the other holds its
 * state, so no per-job alert may fire for it (not "process gone", not "vanished"), and
 * {@code PushgatewayDown} for the stopped gateway is a warning that inhibits nothing. A failed job
 * held by both gateways raises its {@code BatchJobLastRunFailed} once, before and after the
 * stop.</li>
 * <li>{@code textfileJob}, writing to node exporter's textfile directory only
 * ({@code batch.pushgateway.textfile.directory}), with an expected interval of 1 s: its series
 * reach Prometheus with {@code job} kept and the node exporter as {@code instance}, and the generic
 * {@code BatchJobNoRecentSuccess} covers it.</li>
 * </ul>
 * Alerts are read from Prometheus' {@code ALERTS} series, which also keeps what fired earlier in the
 * test ("never" means no sample in this Prometheus' whole life), and from Alertmanager's API.
 */
class TwoGatewaysAlertingTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	private static final String TWO_GATEWAY_JOB = "twoGatewayJob";

	private static final String TEXTFILE_JOB = "textfileJob";

	private static final String FAILED_JOB = "importJob";

	private static final Duration TASKLET = Duration.ofSeconds(25);

	@TempDir
	static Path directory;

	private static AlertmanagerServer alertmanager;

	private static PushgatewayServer gatewayA;

	private static PushgatewayServer gatewayB;

	private static NodeExporterServer nodeExporter;

	private static PrometheusServer prometheus;

	private static LongTaskletJobProcess twoGatewayJob;

	private static LongTaskletJobProcess textfileJob;

	@BeforeAll
	static void startEverything() throws IOException {
		alertmanager = AlertmanagerServer.start(DeployFiles.alertmanagerConfig());
		gatewayA = PushgatewayServer.start();
		gatewayB = PushgatewayServer.start();
		Path textfiles = Files.createDirectories(directory.resolve("textfile"));
		nodeExporter = NodeExporterServer.start(textfiles);
		Instant now = Instant.now();
		for (PushgatewayServer gateway : List.of(gatewayA, gatewayB)) {
			new FinishedJobPayload(FAILED_JOB, "FAILED", now.minusSeconds(60), now.minusSeconds(30)).putTo(gateway);
		}
		prometheus = PrometheusServer.start(config(Files.createDirectories(directory.resolve("rules"))));
		twoGatewayJob = LongTaskletJobProcess.startWithTargets(TWO_GATEWAY_JOB, TASKLET,
				"batch.pushgateway.addresses=" + gatewayA.address() + "," + gatewayB.address(), directory);
		textfileJob = LongTaskletJobProcess.startWithTargets(TEXTFILE_JOB, Duration.ofMillis(100),
				"batch.pushgateway.textfile.directory=" + textfiles, directory,
				"batch.pushgateway.jobs.expected-interval=1s");
	}

	@AfterAll
	static void stopEverything() {
		Teardown.closeAll(twoGatewayJob, textfileJob, prometheus, nodeExporter, gatewayB, gatewayA, alertmanager);
	}

	@Test
	void oneGatewayOfTwoStoppingMidRunIsAWarningAndNoPerJobAlertFiresTwiceOrFalsely() {
		// given: the job runs, both gateways hold it, and the failed job's alert flows, once
		await("both gateways' copies of " + TWO_GATEWAY_JOB + " running in Prometheus",
				() -> prometheus.query("batch_job_running{job=\"" + TWO_GATEWAY_JOB + "\"} == 1").size() == 2);
		assertThat(prometheus.query("batch_job_running{job=\"" + TWO_GATEWAY_JOB + "\"}"))
			.extracting((result) -> result.labels().get("pushgateway"))
			.as("the copies differ in the pushgateway label, which the scrape config adds")
			.containsExactlyInAnyOrder(gatewayA.address(), gatewayB.address());
		List<Alert> before = Alertmanagers.await(alertmanager, "the failed job's alert",
				(alerts) -> alerts.stream().anyMatch((alert) -> alert.is("BatchJobLastRunFailed", FAILED_JOB)), TIMEOUT);
		assertThat(before).filteredOn((alert) -> alert.is("BatchJobLastRunFailed", FAILED_JOB))
			.singleElement()
			.satisfies((alert) -> assertThat(alert.labels()).doesNotContainKey("pushgateway"));

		// when: one gateway goes away mid-run
		gatewayB.stop();

		// then: a warning for that gateway, routed as a ticket, inhibiting nothing
		List<Alert> during = Alertmanagers.await(alertmanager, "PushgatewayDown for the stopped gateway",
				(alerts) -> alerts.stream().anyMatch((alert) -> alert.is("PushgatewayDown", null)), TIMEOUT);
		assertThat(during).filteredOn((alert) -> alert.is("PushgatewayDown", null)).singleElement().satisfies((alert) -> {
			assertThat(alert.labels()).containsEntry("severity", "warning")
				.containsEntry("instance", gatewayB.address());
			assertThat(alert.state()).isEqualTo("active");
			assertThat(alert.receivers()).containsExactly("team-tickets");
		});
		assertThat(during).filteredOn((alert) -> alert.is("BatchJobLastRunFailed", FAILED_JOB))
			.as("the failed job's alert is still true, and still sent: the other gateway holds it")
			.singleElement()
			.satisfies((alert) -> assertThat(alert.state()).isEqualTo("active"));

		// and when the job finishes, its state held by the gateway that stayed up
		assertThat(twoGatewayJob.await(TIMEOUT.plus(TASKLET))).as(twoGatewayJob.logTail()).isZero();
		prometheus.awaitQuery("batch_job_status{job=\"" + TWO_GATEWAY_JOB + "\",status=\"COMPLETED\"} == 1"
				+ " and on (job) batch_job_running{job=\"" + TWO_GATEWAY_JOB + "\"} == 0",
				(results) -> results.size() == 1, TIMEOUT);
		// longer than every liveness threshold and "for" the rules have here (vanished: 5 s)
		sleep(Duration.ofSeconds(8));

		// then: nothing ever fired for the job, and every alert fired once, never twice
		assertThat(everFired(null, TWO_GATEWAY_JOB)).as("alerts that fired for %s", TWO_GATEWAY_JOB).isEmpty();
		assertThat(everFired("BatchJobLastRunFailed", FAILED_JOB)).as("one alert, not one per gateway").hasSize(1);
		assertThat(everFired("PushgatewayDown", null)).singleElement()
			.satisfies((result) -> assertThat(result.labels()).containsEntry("severity", "warning")
				.containsEntry("instance", gatewayB.address()));
		assertThat(everFired(null, null)).extracting((result) -> result.labels().get("alertname"))
			.as("every alert that ever fired")
			.doesNotHaveDuplicates()
			.doesNotContain("BatchJobProcessGone", "BatchJobMetricsVanished", "BatchJobStalled", "PushgatewayLostJobs");
		assertThat(Alertmanagers.alerts(alertmanager)).filteredOn((alert) -> alert.state().equals("suppressed"))
			.as("a warning inhibits nothing")
			.isEmpty();
	}

	@Test
	void aTextfileJobReachesPrometheusThroughNodeExporterWithItsJobLabelAndTheGenericRulesCoverIt() {
		// when
		assertThat(textfileJob.await(TIMEOUT)).as(textfileJob.logTail()).isZero();

		// then
		List<QueryResult> status = prometheus.awaitQuery(
				"batch_job_status{job=\"" + TEXTFILE_JOB + "\",status=\"COMPLETED\"} == 1",
				(results) -> results.size() == 1, TIMEOUT);
		assertThat(status.get(0).labels()).containsEntry("instance", nodeExporter.address())
			.doesNotContainKeys("exported_job", "pushgateway");
		assertThat(prometheus.query("{exported_job=\"" + TEXTFILE_JOB + "\"}")).as("honor_labels kept job").isEmpty();
		assertThat(prometheus.query("batch_job_last_success_timestamp_seconds{job=\"" + TEXTFILE_JOB + "\"}"))
			.singleElement()
			.satisfies((result) -> assertThat(result.value()).isGreaterThan(0));
		List<QueryResult> noRecentSuccess = prometheus.awaitQuery("ALERTS{alertname=\"BatchJobNoRecentSuccess\",job=\""
				+ TEXTFILE_JOB + "\",alertstate=\"firing\"}", (results) -> !results.isEmpty(), TIMEOUT);
		assertThat(noRecentSuccess).singleElement()
			.satisfies((result) -> assertThat(result.labels()).containsEntry("instance", nodeExporter.address())
				.containsEntry("severity", "critical"));
	}

	/**
	 * Returns the alerts that fired at any time since Prometheus started.
	 * @param alertName the alert, or {@code null} for any
	 * @param job the job, or {@code null} for any
	 */
	private static List<QueryResult> everFired(String alertName, String job) {
		String name = (alertName != null) ? ",alertname=\"" + alertName + "\"" : "";
		String jobMatcher = (job != null) ? ",job=\"" + job + "\"" : "";
		return prometheus.query("max_over_time(ALERTS{alertstate=\"firing\"" + jobMatcher + name + "}[10m])");
	}

	private static void await(String description, BooleanSupplier condition) {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("No " + description + " within " + TIMEOUT + ". Alerts: "
						+ prometheus.query("ALERTS") + "\nThe job's log:\n" + twoGatewayJob.logTail());
			}
			sleep(Duration.ofMillis(250));
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Renders the test copy of {@code deploy/prometheus/prometheus.yml}: this test's gateways and
	 * node exporter as the targets of the shipped scrape jobs (which keep their relabelling and
	 * honor_labels), its Alertmanager, intervals of one second and the shortened rules; the
	 * Prometheus self-scrape left out.
	 */
	private static String config(Path rules) {
		Map<String, Object> config = Yaml.read(DeployFiles.prometheusConfig());
		Map<String, Object> global = Yaml.map(config.get("global"));
		global.put("scrape_interval", "1s");
		global.put("evaluation_interval", "1s");
		config.put("rule_files", List.of(ShortDurationRules.writeTo(rules)));
		for (Object manager : Yaml.list(Yaml.map(config.get("alerting")).get("alertmanagers"))) {
			Yaml.map(manager).put("static_configs", List.of(Map.of("targets", List.of(alertmanager.address()))));
		}
		Map<String, Object> gateways = scrapeJob(config, "pushgateway");
		gateways.put("static_configs", List.of(Map.of("targets", List.of(gatewayA.address(), gatewayB.address()))));
		Map<String, Object> node = scrapeJob(config, "node");
		node.put("static_configs", List.of(Map.of("targets", List.of(nodeExporter.address()))));
		config.put("scrape_configs", List.of(gateways, node));
		return Yaml.write(config);
	}

	private static Map<String, Object> scrapeJob(Map<String, Object> config, String name) {
		return Yaml.list(config.get("scrape_configs"))
			.stream()
			.map(Yaml::map)
			.filter((scrape) -> name.equals(scrape.get("job_name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No scrape job " + name + " in prometheus.yml"));
	}

}
