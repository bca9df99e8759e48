package io.github.batchpushgateway.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

import com.jayway.jsonpath.JsonPath;

/**
 * A real {@code prometheus-pushgateway} on a free loopback port, without persistence,
 * logging to a file in its own temporary directory.
 *
 * <p>
 * Typical use: <pre class="code">
 * try (PushgatewayServer gateway = PushgatewayServer.start()) {
 *     // push to gateway.url(), then
 *     double status = gateway.metrics().require("batch_job_running", Map.of("job", "importJob"));
 * }
 * </pre>
 *
 * <p>
 * The gateway can be stopped and started again on the same port (to test an unreachable
 * gateway and its recovery) with {@link #stop()} and {@link #startAgain()}, or
 * {@link #restart()}; it then holds no groups, as a gateway without persistence after a
 * crash or a redeployment.
 */
public final class PushgatewayServer extends LoopbackServer {

	private PushgatewayServer(Started started) {
		super(started);
	}

	/**
	 * Start a plain HTTP gateway without authentication. This is a factory: to start a
	 * stopped gateway again on its port, use {@link #startAgain()} (calling
	 * {@code start()} on an instance would start another gateway).
	 * @return the ready gateway
	 * @throws IllegalStateException when the binary is missing or the gateway does not
	 * become ready within 20 seconds
	 */
	public static PushgatewayServer start() {
		return start(null);
	}

	/**
	 * Start a gateway with a web configuration file, which enables TLS and/or basic
	 * authentication. Readiness is then checked by any HTTP answer on the port (a TLS
	 * port answers plain HTTP with 400, basic authentication with 401); the convenience
	 * readers such as {@link #metrics()} only work without a web configuration, use
	 * {@link #scrapeText(HttpClient, String, String)} instead.
	 * @param webConfigFile the {@code --web.config.file}, or {@code null} for none
	 * @return the ready gateway
	 */
	public static PushgatewayServer start(Path webConfigFile) {
		Path webConfig = (webConfigFile != null) ? webConfigFile.toAbsolutePath() : null;
		IntPredicate readyStatus = (webConfig != null) ? (status) -> status > 0 : (status) -> status == 200;
		Definition definition = new Definition("prometheus-pushgateway", "pushgateway.log",
				(binary, directory, port) -> command(binary, port, webConfig), readyStatus, Duration.ofSeconds(20));
		return launch(definition, TempDirectories.create("pushgateway"), PushgatewayServer::new);
	}

	private static List<String> command(Path binary, int port, Path webConfigFile) {
		List<String> command = new ArrayList<>();
		command.add(binary.toString());
		command.add("--web.listen-address=127.0.0.1:" + port);
		// Debian's default persistence file is a system path; empty keeps the state in memory.
		command.add("--persistence.file=");
		if (webConfigFile != null) {
			command.add("--web.config.file=" + webConfigFile);
		}
		return command;
	}

	/**
	 * Return the gateway's {@code /metrics} page as text.
	 * @return the Prometheus text exposition of all groups plus the gateway's own metrics
	 */
	public String scrapeText() {
		return Http.get(URI.create(url() + "/metrics"));
	}

	/**
	 * Return the gateway's {@code /metrics} page through a given client, for gateways
	 * started with a web configuration (TLS, basic authentication).
	 * @param client the client, for example one trusting a test certificate authority
	 * @param scheme {@code http} or {@code https}
	 * @param authorizationHeader the {@code Authorization} header value, or {@code null}
	 * @return the Prometheus text exposition
	 */
	public String scrapeText(HttpClient client, String scheme, String authorizationHeader) {
		return Http.get(client, URI.create(scheme + "://" + address() + "/metrics"), authorizationHeader);
	}

	/**
	 * Scrape the gateway and parse the answer.
	 * @return the parsed samples
	 */
	public ScrapedMetrics metrics() {
		return ScrapedMetrics.parse(scrapeText());
	}

	/**
	 * Return the number of groups the gateway holds, from its {@code /api/v1/metrics}.
	 * @return the number of groups
	 */
	public int groupCount() {
		return groupLabels().size();
	}

	/**
	 * Return the grouping labels of every group the gateway holds, from its
	 * {@code /api/v1/metrics}.
	 * @return one map of label names to values per group
	 */
	public List<Map<String, String>> groupLabels() {
		String json = getJson("/api/v1/metrics");
		List<Map<String, Object>> groups = JsonPath.read(json, "$.data[*].labels");
		List<Map<String, String>> result = new ArrayList<>();
		for (Map<String, Object> labels : groups) {
			Map<String, String> copy = new LinkedHashMap<>();
			labels.forEach((name, value) -> copy.put(name, String.valueOf(value)));
			result.add(copy);
		}
		return result;
	}

}
