package io.github.batchpushgateway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link LoopbackServer}, the part every server shares, through the servers that
 * {@link PushgatewayServerTests} does not cover.
 */
class LoopbackServerTests {

	@Test
	void alertmanagerServesItsApiOnLoopbackWithItsConfiguration(@TempDir Path config) throws IOException {
		// given
		Path file = Files.writeString(config.resolve("alertmanager.yml"), """
				route:
				  receiver: on-call
				receivers:
				  - name: on-call
				""", StandardCharsets.UTF_8);

		// when
		try (AlertmanagerServer alertmanager = AlertmanagerServer.start(file)) {
			// then
			assertThat(alertmanager.address()).isEqualTo("127.0.0.1:" + alertmanager.port());
			assertThat(alertmanager.url()).isEqualTo("http://" + alertmanager.address());
			assertThat(alertmanager).hasToString("AlertmanagerServer[" + alertmanager.url() + "]");
			assertThat(alertmanager.isRunning()).isTrue();
			assertThat(alertmanager.getJson("/api/v2/status")).contains("on-call");
			assertThat(alertmanager.directory().resolve("alertmanager.log")).exists();
		}
	}

	@Test
	void prometheusStartsAgainOnTheSamePortAfterStop() {
		try (PrometheusServer prometheus = PrometheusServer
			.start(PrometheusServer.scrapeConfigFor("127.0.0.1:1", Duration.ofSeconds(1)))) {
			// given
			int port = prometheus.port();

			// when
			prometheus.stop();

			// then
			assertThat(prometheus.isRunning()).isFalse();
			assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(() -> prometheus.query("vector(1)"));

			// when
			prometheus.startAgain();

			// then
			assertThat(prometheus.port()).isEqualTo(port);
			assertThat(prometheus.query("vector(1)")).singleElement()
				.satisfies((series) -> assertThat(series.value()).isEqualTo(1.0));
			assertThatIllegalStateException().isThrownBy(prometheus::startAgain)
				.withMessageContaining("is still running");
		}
	}

	@Test
	void serverThatExitsBeforeItIsReadyFailsWithItsLogAndLeavesNoDirectory() {
		// given
		Path directory = TempDirectories.create("loopback-test");
		LoopbackServer.Definition definition = LoopbackServer.Definition.readyOn200("prometheus-pushgateway",
				"pushgateway.log", Duration.ofSeconds(10),
				(binary, serverDirectory, port) -> List.of(binary.toString(), "--no-such-flag"));

		// when / then
		assertThatIllegalStateException()
			.isThrownBy(() -> LoopbackServer.launch(definition, directory, BareServer::new))
			.withMessageContaining("prometheus-pushgateway exited")
			.withMessageContaining("no-such-flag");
		assertThat(directory).doesNotExist();
	}

	@Test
	void missingBinaryFailsWithTheSetupCommandAndLeavesNoDirectory() {
		// given
		Path directory = TempDirectories.create("loopback-test");
		LoopbackServer.Definition definition = LoopbackServer.Definition.readyOn200("no-such-server-binary",
				"server.log", Duration.ofSeconds(10), (binary, serverDirectory, port) -> List.of(binary.toString()));

		// when / then
		assertThatIllegalStateException()
			.isThrownBy(() -> LoopbackServer.launch(definition, directory, BareServer::new))
			.withMessageContaining("./scripts/setup");
		assertThat(directory).doesNotExist();
	}

	private static final class BareServer extends LoopbackServer {

		BareServer(Started started) {
			super(started);
		}

	}

}
