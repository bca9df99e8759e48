package io.github.batchpushgateway.deploy;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.github.batchpushgateway.testsupport.Promtool;
import io.github.batchpushgateway.testsupport.ToolResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@code deploy/prometheus/prometheus.yml} loads the rules and scrapes the gateway, as the
 * rules and dashboards assume.
 */
class PrometheusConfigTests {

	private final Map<String, Object> config = Yaml.read(DeployFiles.prometheusConfig());

	@Test
	void promtoolAcceptsTheConfigurationAndTheRulesItLoads() {
		// when
		ToolResult result = Promtool.checkConfig(DeployFiles.prometheusConfig());

		// then
		assertThat(result.exitCode()).as(result.output()).isZero();
		for (Path ruleFile : DeployFiles.ruleFiles()) {
			assertThat(result.output()).contains(ruleFile.getFileName().toString());
		}
	}

	@Test
	void ruleFilesGlobLoadsEveryRuleFileButNotTheUnitTests() throws IOException {
		// given
		Path base = DeployFiles.prometheusConfig().getParent();
		List<PathMatcher> globs = Yaml.list(this.config.get("rule_files"))
			.stream()
			.map((glob) -> FileSystems.getDefault().getPathMatcher("glob:" + base.resolve(String.valueOf(glob))))
			.toList();

		// when
		List<Path> loaded;
		try (Stream<Path> files = Files.walk(base)) {
			loaded = files.filter((file) -> globs.stream().anyMatch((glob) -> glob.matches(file))).sorted().toList();
		}

		// then
		assertThat(loaded).containsExactlyElementsOf(DeployFiles.ruleFiles());
	}

	@Test
	void theGatewayIsScrapedAsJobPushgatewayWithHonorLabels() {
		// The rules join on the pushed job label and alert on up{job="pushgateway"}.
		Map<String, Object> scrape = Yaml.list(this.config.get("scrape_configs"))
			.stream()
			.map(Yaml::map)
			.filter((candidate) -> "pushgateway".equals(candidate.get("job_name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No scrape job named pushgateway"));
		assertThat(scrape).containsEntry("honor_labels", true);
	}

	@Test
	void everyGatewaysSeriesAreToldApartByThePushgatewayLabel() {
		// Pushed series have no instance once scraped with honor_labels (the gateway's empty one is
		// dropped): without this label two gateways' copies of a group would be one series. The
		// rules aggregate exactly this label away.
		Map<String, Object> scrape = scrapeJob("pushgateway");
		assertThat(Yaml.list(scrape.get("relabel_configs"))).map(Yaml::map)
			.anySatisfy((relabel) -> assertThat(relabel)
				.containsEntry("source_labels", List.of("__address__"))
				.containsEntry("target_label", "pushgateway")
				.doesNotContainKey("action"));
		assertThat(AlertRule.readAll()).filteredOn((rule) -> rule.labels().containsKey("metrics_source"))
			.filteredOn((rule) -> !rule.name().equals("BatchJobPushesUndelivered"))
			// one answer per declaration: it matches the gateways' series on the job name alone
			.filteredOn((rule) -> !rule.name().equals("BatchJobNeverPushed"))
			.as("per-job alerts read from the gateways")
			.allSatisfy((rule) -> assertThat(rule.expr()).as(rule.name()).contains("without (pushgateway)"));
	}

	@Test
	void nodeExporterIsScrapedAsJobNodeWithHonorLabels() {
		// The textfile's samples carry job="<Spring Batch job name>": honor_labels keeps it.
		assertThat(scrapeJob("node")).containsEntry("honor_labels", true);
	}

	private Map<String, Object> scrapeJob(String name) {
		return Yaml.list(this.config.get("scrape_configs"))
			.stream()
			.map(Yaml::map)
			.filter((candidate) -> name.equals(candidate.get("job_name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No scrape job named " + name));
	}

	@Test
	void grafanaKnowsTheScrapeInterval() {
		// $__rate_interval is only right when Grafana's data source knows the scrape interval.
		Map<String, Object> datasource = Yaml.map(Yaml
			.list(Yaml.read(DeployFiles.grafanaDirectory().resolve("provisioning/datasources/prometheus.yml"))
				.get("datasources"))
			.get(0));
		assertThat(Yaml.map(datasource.get("jsonData")).get("timeInterval"))
			.isEqualTo(Yaml.map(this.config.get("global")).get("scrape_interval"));
	}

}
