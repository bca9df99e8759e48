package io.github.batchpushgateway.deploy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.jayway.jsonpath.JsonPath;
import io.github.batchpushgateway.testsupport.PrometheusServer;
import io.github.batchpushgateway.testsupport.PrometheusServer.QueryResult;
import io.github.batchpushgateway.testsupport.PushgatewayServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every query of every shipped dashboard, its variables filled in as Grafana does, parses and
 * returns data from a real Prometheus scraping a real Pushgateway that holds a finished run of
 * the example GDPR erasure job ({@code java -jar}, as its users run it, with a stall timeout, a
 * maximum duration and an item minimum set), and a running job whose partition step's partitions
 * have not been saved for longer than its stall timeout (a real starter process,
 * {@link LongTaskletJobProcess} with partitions), so that the partition panels have data. Prometheus scrapes the gateway as two
 * targets, labelled as {@code deploy/prometheus/prometheus.yml} labels two gateways, so every
 * group is held twice, equally fresh, as by two gateways that both took the last push: every query
 * of pushed series must still give one answer per job.
 */
class DashboardQueriesTests {

	private static final String EXAMPLE_JOB = "gdprErasureJob";

	private static final String PARTITIONED_JOB = "partitionedJob";

	private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((\\w+),\\s*(\\w+)\\)$");

	/** What Grafana puts in for its built-in interval variables, for a 1 s scrape interval. */
	private static final Map<String, String> BUILT_IN_VARIABLES = Map.of("__rate_interval", "1m", "__interval",
			"15s", "__range", "1h", "__range_s", "3600", "__interval_ms", "15000");

	@TempDir
	static Path directory;

	private static PushgatewayServer gateway;

	private static PrometheusServer prometheus;

	private static LongTaskletJobProcess partitioned;

	@BeforeAll
	static void runTheJobsAndScrapeTheirGateway() {
		gateway = PushgatewayServer.start();
		// With the optional limits and a result assertion set, so that the panels drawing them have data.
		int exitCode = ExampleJobProcess.run(gateway.address(), directory, 300, "batch.pushgateway.jobs.stall-timeout=10m",
				"batch.pushgateway.jobs.max-duration=1h", "batch.pushgateway.jobs.min-items=1");
		assertThat(exitCode).as(ExampleJobProcess.tail(directory.resolve("example-job.log"))).isZero();
		// Partitions that sleep past the stall timeout: running, stalled, with a stalest save.
		partitioned = LongTaskletJobProcess.start(PARTITIONED_JOB, Duration.ofMinutes(10), gateway.address(), directory,
				"test-job.partitions=3", "batch.pushgateway.jobs.stall-timeout=2s");
		prometheus = PrometheusServer.start(scrapeConfigForTwoGateways(gateway.address()));
		// a few scrapes of both copies, so that range queries see more than one point
		prometheus.awaitQuery("count_over_time(batch_job_status{job=\"" + EXAMPLE_JOB + "\",status=\"COMPLETED\"}[1m])",
				(result) -> result.size() == 2 && result.stream().allMatch((copy) -> copy.value() >= 3),
				Duration.ofSeconds(30));
		// and of the partitions once stalled, in both copies
		prometheus.awaitQuery(
				"count_over_time((batch_step_partitions_stalled{job=\"" + PARTITIONED_JOB + "\"} > 0)[1m:1s])"
						+ " and on (job, pushgateway) batch_step_stalest_partition_progress_timestamp_seconds",
				(result) -> result.size() == 2 && result.stream().allMatch((copy) -> copy.value() >= 3),
				Duration.ofSeconds(60));
	}

	/**
	 * The one gateway as two scrape targets, each with the label that tells two gateways' copies
	 * apart.
	 */
	private static String scrapeConfigForTwoGateways(String address) {
		return """
				global:
				  scrape_interval: 1s
				  evaluation_interval: 1s
				scrape_configs:
				  - job_name: pushgateway
				    honor_labels: true
				    static_configs:
				      - targets: ['%1$s']
				        labels: {pushgateway: gateway-a}
				      - targets: ['%1$s']
				        labels: {pushgateway: gateway-b}
				""".formatted(address);
	}

	@AfterAll
	static void stopProcessAndServers() {
		if (partitioned != null) {
			partitioned.close();
		}
		if (prometheus != null) {
			prometheus.close();
		}
		if (gateway != null) {
			gateway.close();
		}
	}

	static Stream<Dashboard.PanelQuery> panelQueries() {
		return Dashboard.readAll().stream().flatMap((dashboard) -> dashboard.queries().stream());
	}

	/**
	 * The queries of series the gateways hold (pushed, and the gateway's own push times); the
	 * others, the gateways' up, are per gateway on purpose.
	 */
	static Stream<Dashboard.PanelQuery> pushedSeriesQueries() {
		Pattern pushed = Pattern.compile("\\b(batch_|gdpr_|push_)");
		return panelQueries().filter((query) -> pushed.matcher(query.expr()).find());
	}

	static Stream<Dashboard> dashboards() {
		return Dashboard.readAll().stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dashboards")
	void queryVariablesListTheExampleJob(Dashboard dashboard) {
		for (Map<String, Object> variable : dashboard.variables()) {
			if ("query".equals(variable.get("type"))) {
				assertThat(variableValues(variable)).as(String.valueOf(variable.get("name"))).contains(EXAMPLE_JOB);
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("panelQueries")
	void panelQueryReturnsData(Dashboard.PanelQuery query) {
		// given
		String promql = fillInVariables(query);

		// when
		List<Object> result = query.instant() ? instantQuery(promql) : rangeQuery(promql);

		// then
		assertThat(result).as("%s returns data:%n%s", query, promql).isNotEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("pushedSeriesQueries")
	void panelQueryGivesOneAnswerPerJobHoweverManyGatewaysHoldIt(Dashboard.PanelQuery query) {
		// given
		String promql = fillInVariables(query);

		// when
		List<QueryResult> result = prometheus.query(promql);

		// then
		assertThat(result).extracting(QueryResult::labels)
			.as("%s gives one answer per job and label set:%n%s", query, promql)
			.isNotEmpty()
			.doesNotHaveDuplicates()
			.allSatisfy((labels) -> assertThat(labels).doesNotContainKey("pushgateway"));
	}

	private static String fillInVariables(Dashboard.PanelQuery query) {
		Map<String, String> values = new java.util.HashMap<>(BUILT_IN_VARIABLES);
		for (Map<String, Object> variable : query.dashboard().variables()) {
			String name = (String) variable.get("name");
			if ("query".equals(variable.get("type"))) {
				values.put(name, formatForRegex(variableValues(variable), Boolean.TRUE.equals(variable.get("multi"))));
			}
		}
		Matcher matcher = Pattern.compile("\\$\\{?(\\w+)\\}?").matcher(query.expr());
		StringBuilder result = new StringBuilder();
		while (matcher.find()) {
			String value = values.get(matcher.group(1));
			assertThat(value).as("%s: value of $%s", query, matcher.group(1)).isNotNull();
			matcher.appendReplacement(result, Matcher.quoteReplacement(value));
		}
		matcher.appendTail(result);
		return result.toString();
	}

	/**
	 * Formats values as Grafana does for a Prometheus query: regex-escaped, and a multi-value
	 * variable as an alternation of all its values.
	 */
	private static String formatForRegex(List<String> values, boolean multi) {
		List<String> escaped = values.stream().map((value) -> value.replaceAll("([\\\\^$.|?*+()\\[\\]{}])", "\\\\\\\\$1")).toList();
		return multi ? escaped.stream().collect(Collectors.joining("|", "(", ")")) : escaped.get(0);
	}

	private static List<String> variableValues(Map<String, Object> variable) {
		String definition = (String) variable.get("definition");
		Matcher matcher = LABEL_VALUES.matcher(definition);
		assertThat(matcher.matches()).as("label_values(metric, label) query: %s", definition).isTrue();
		String json = prometheus.getJson("/api/v1/label/" + matcher.group(2) + "/values?match[]="
				+ URLEncoder.encode(matcher.group(1), StandardCharsets.UTF_8));
		return JsonPath.read(json, "$.data[*]");
	}

	private static List<Object> instantQuery(String promql) {
		return new ArrayList<>(prometheus.query(promql));
	}

	private static List<Object> rangeQuery(String promql) {
		Instant end = Instant.now();
		String json = prometheus.getJson("/api/v1/query_range?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
				+ "&start=" + end.minusSeconds(60).getEpochSecond() + "&end=" + end.getEpochSecond() + "&step=1");
		return JsonPath.read(json, "$.data.result[*]");
	}

}
