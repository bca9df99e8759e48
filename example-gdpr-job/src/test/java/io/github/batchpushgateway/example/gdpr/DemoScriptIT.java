package io.github.batchpushgateway.example.gdpr;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import io.github.batchpushgateway.testsupport.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scripts/demo} itself, on free ports, with the jar this build just packaged (the
 * script's own build step is the same Maven command, so {@code --no-build} avoids a nested
 * build of the module under test).
 */
class DemoScriptIT {

	private static final Path SCRIPT = DeployedPrometheusConfig.REPOSITORY.resolve("scripts/demo");

	@TempDir
	Path state;

	private final int pushgatewayPort = FreePorts.next();

	private final int prometheusPort = FreePorts.next();

	@Test
	void demoRunsTheJobAgainstARealGatewayAndPrometheusPrintsTheSummaryAndStopsWhatItStarted() throws Exception {
		// when
		Result demo = run("--no-build", "--customers", "300");

		// then
		assertThat(demo.exitCode()).as(demo.output()).isZero();
		assertThat(demo.output()).contains("[6/6] Waiting for Prometheus to scrape the outcome")
			.contains("status           COMPLETED  (exit code COMPLETED; process exit code 0)")
			.containsPattern("last success +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d")
			.containsPattern("next start +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:00  \\(in \\d+ (s|min|h)\\)")
			.containsPattern("missed after +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:00  \\(in \\d+ (s|min|h)\\)")
			.containsPattern("eraseSubjects +COMPLETED +\\d+ +\\d+ +0")
			.containsPattern("requests pending +awaiting_identity=\\d+ +deferred=\\d+ +failed=0 +on_hold=\\d+ +verified=0")
			.contains("residual records           none in 6 tables")
			.containsPattern("this run: requests +completed=\\d+")
			.containsPattern("Gdpr\\w+ \\(critical, firing\\)");
		assertThat(listening(this.pushgatewayPort)).as("the gateway was stopped").isFalse();
		assertThat(listening(this.prometheusPort)).as("Prometheus was stopped").isFalse();
	}

	@Test
	void keepLeavesBothRunningUntilStop() throws Exception {
		// when
		Result demo = run("--no-build", "--customers", "60", "--keep");

		// then
		try {
			assertThat(demo.exitCode()).as(demo.output()).isZero();
			assertThat(demo.output()).contains("http://127.0.0.1:" + this.prometheusPort + "/graph")
				.contains("http://127.0.0.1:" + this.pushgatewayPort);
			assertThat(listening(this.pushgatewayPort)).isTrue();
			assertThat(listening(this.prometheusPort)).isTrue();
			// deploy/prometheus/prometheus.yml also scrapes a second gateway and node exporter, which
			// the demo does not start: as targets they would be down, and PushgatewayDown would warn
			assertThat(activeScrapeUrls()).as("what the demo's Prometheus scrapes")
				.containsExactlyInAnyOrder("http://127.0.0.1:" + this.pushgatewayPort + "/metrics",
						"http://127.0.0.1:" + this.prometheusPort + "/metrics");
			assertThat(run("--no-build").output()).contains("still running");
		}
		finally {
			// when
			Result stop = run("stop");

			// then
			assertThat(stop.exitCode()).as(stop.output()).isZero();
			assertThat(stop.output()).contains("stopped pushgateway").contains("stopped prometheus");
		}
		assertThat(listening(this.pushgatewayPort)).isFalse();
		assertThat(listening(this.prometheusPort)).isFalse();
	}

	private Result run(String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
		command.addAll(List.of(arguments));
		Path output = Files.createTempFile(this.state, "demo", ".log");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.directory(DeployedPrometheusConfig.REPOSITORY.toFile());
		Map<String, String> environment = builder.environment();
		environment.put("PUSHGATEWAY_PORT", String.valueOf(this.pushgatewayPort));
		environment.put("PROMETHEUS_PORT", String.valueOf(this.prometheusPort));
		environment.put("GDPR_DEMO_STATE", this.state.resolve("state").toString());
		Process process = builder.start();
		if (!process.waitFor(4, TimeUnit.MINUTES)) {
			process.destroy();
			throw new AssertionError("scripts/demo did not finish: " + Files.readString(output));
		}
		return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
	}

	private List<String> activeScrapeUrls() throws IOException, InterruptedException {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.prometheusPort + "/api/v1/targets?state=active"))
			.build();
		HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JsonPath.read(response.body(), "$.data.activeTargets[*].scrapeUrl");
	}

	private static boolean listening(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private record Result(int exitCode, String output) {
	}

}
