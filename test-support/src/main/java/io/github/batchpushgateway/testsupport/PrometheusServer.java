package io.github.batchpushgateway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;

/**
 * A real {@code prometheus} server on a free loopback port, with its TSDB in its own
 * temporary directory and the lifecycle API enabled.
 *
 * <p>
 * Typical use: <pre class="code">
 * try (PrometheusServer prometheus = PrometheusServer
 *         .start(PrometheusServer.scrapeConfigFor(gateway.address(), Duration.ofSeconds(1)))) {
 *     prometheus.awaitQuery("batch_job_running", (result) -&gt; !result.isEmpty(), Duration.ofSeconds(15));
 * }
 * </pre>
 */
public final class PrometheusServer extends LoopbackServer {

	private static final Duration QUERY_POLL = Duration.ofMillis(250);

	private PrometheusServer(Started started) {
		super(started);
	}

	/**
	 * Start Prometheus with a configuration given as text, written to
	 * {@code prometheus.yml} in the server's temporary directory.
	 * @param configYaml the configuration
	 * @return the ready server
	 */
	public static PrometheusServer start(String configYaml) {
		Path directory = TempDirectories.create("prometheus");
		try {
			Path configFile = directory.resolve("prometheus.yml");
			Files.writeString(configFile, configYaml, StandardCharsets.UTF_8);
			return start(directory, configFile);
		}
		catch (IOException ex) {
			TempDirectories.delete(directory);
			throw new UncheckedIOException("Could not write the Prometheus configuration", ex);
		}
	}

	/**
	 * Start Prometheus with a configuration file, for example one whose
	 * {@code rule_files} are relative to it.
	 * @param configFile the configuration file
	 * @return the ready server
	 */
	public static PrometheusServer start(Path configFile) {
		return start(TempDirectories.create("prometheus"), configFile.toAbsolutePath());
	}

	private static PrometheusServer start(Path directory, Path configFile) {
		Definition definition = Definition.readyOn200("prometheus", "prometheus.log", Duration.ofSeconds(30),
				(binary, serverDirectory, port) -> List.of(binary.toString(), "--config.file=" + configFile,
						"--storage.tsdb.path=" + serverDirectory.resolve("data"),
						"--web.listen-address=127.0.0.1:" + port, "--web.enable-lifecycle"));
		return launch(definition, directory, PrometheusServer::new);
	}

	/**
	 * Return a minimal configuration that scrapes one Pushgateway as job
	 * {@code pushgateway} with {@code honor_labels: true} (so pushed {@code job} labels
	 * stay {@code job}, not {@code exported_job}).
	 * @param pushgatewayAddress the gateway's {@code host:port}
	 * @param interval the scrape and rule evaluation interval
	 * @return the configuration text
	 */
	public static String scrapeConfigFor(String pushgatewayAddress, Duration interval) {
		String duration = interval.toMillis() + "ms";
		return """
				global:
				  scrape_interval: %1$s
				  evaluation_interval: %1$s
				scrape_configs:
				  - job_name: pushgateway
				    honor_labels: true
				    static_configs:
				      - targets: ['%2$s']
				""".formatted(duration, pushgatewayAddress);
	}

	/**
	 * Run an instant query.
	 * @param promql the query
	 * @return one result per series of a vector answer, or a single label-less result
	 * for a scalar answer
	 * @throws IllegalStateException when Prometheus rejects the query
	 */
	public List<QueryResult> query(String promql) {
		String json = getJson("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
		DocumentContext document = JsonPath.parse(json);
		String type = document.read("$.data.resultType");
		List<QueryResult> results = new ArrayList<>();
		switch (type) {
			case "vector" -> {
				List<Map<String, Object>> series = document.read("$.data.result");
				for (Map<String, Object> entry : series) {
					@SuppressWarnings("unchecked")
					Map<String, Object> metric = (Map<String, Object>) entry.get("metric");
					@SuppressWarnings("unchecked")
					List<Object> value = (List<Object>) entry.get("value");
					results.add(new QueryResult(stringMap(metric), parseValue(value.get(1))));
				}
			}
			case "scalar" -> {
				List<Object> value = document.read("$.data.result");
				results.add(new QueryResult(Map.of(), parseValue(value.get(1))));
			}
			default -> throw new IllegalStateException(
					"Unsupported result type " + type + " for an instant query of " + promql + ": " + json);
		}
		return results;
	}

	/**
	 * Run an instant query every 250 ms until its result satisfies a condition.
	 * @param promql the query
	 * @param until the condition on the result
	 * @param timeout how long to wait
	 * @return the first result that satisfies the condition
	 * @throws AssertionError when the timeout passes, with the last result
	 */
	public List<QueryResult> awaitQuery(String promql, Predicate<List<QueryResult>> until, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		List<QueryResult> result;
		while (true) {
			result = query(promql);
			if (until.test(result)) {
				return result;
			}
			if (System.nanoTime() >= deadline) {
				throw new AssertionError("Query " + promql + " did not reach the expected result within " + timeout
						+ "; last result: " + result);
			}
			ServerProcess.sleep(QUERY_POLL);
		}
	}

	/**
	 * Reload the configuration (and rule files) through the lifecycle API.
	 * @throws IllegalStateException when Prometheus rejects the new configuration
	 */
	public void reload() {
		Http.post(URI.create(url() + "/-/reload"));
	}

	private static Map<String, String> stringMap(Map<String, Object> map) {
		Map<String, String> result = new LinkedHashMap<>();
		map.forEach((name, value) -> result.put(name, String.valueOf(value)));
		return result;
	}

	private static double parseValue(Object value) {
		String text = String.valueOf(value);
		return switch (text) {
			case "NaN" -> Double.NaN;
			case "+Inf" -> Double.POSITIVE_INFINITY;
			case "-Inf" -> Double.NEGATIVE_INFINITY;
			default -> Double.parseDouble(text);
		};
	}

	/**
	 * One series of an instant query result.
	 *
	 * @param labels the series labels, {@code __name__} included when the query keeps it
	 * @param value the sample value
	 */
	public record QueryResult(Map<String, String> labels, double value) {

	}

}
