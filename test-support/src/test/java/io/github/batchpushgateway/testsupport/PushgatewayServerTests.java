package io.github.batchpushgateway.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

class PushgatewayServerTests {

	private static final String PAYLOAD = """
			# TYPE batch_job_running gauge
			batch_job_running 1
			""";

	private PushgatewayServer gateway;

	@BeforeEach
	void startGateway() {
		this.gateway = PushgatewayServer.start();
	}

	@AfterEach
	void closeGateway() {
		this.gateway.close();
	}

	@Test
	void listensOnLoopbackAndServesWhatWasPushed() throws Exception {
		// when
		int status = Pushes.put(this.gateway, "job/importJob/env/test", PAYLOAD);

		// then
		assertThat(status).isEqualTo(200);
		assertThat(this.gateway.address()).isEqualTo("127.0.0.1:" + this.gateway.port());
		assertThat(this.gateway.metrics().require("batch_job_running", Map.of("job", "importJob", "env", "test")))
			.isEqualTo(1.0);
		assertThat(this.gateway.scrapeText()).contains("push_time_seconds{env=\"test\",instance=\"\",job=\"importJob\"}");
		assertThat(this.gateway.groupCount()).isEqualTo(1);
		assertThat(this.gateway.groupLabels()).containsExactly(Map.of("job", "importJob", "env", "test"));
	}

	@Test
	void restartEmptiesTheGatewayOnTheSamePort() throws Exception {
		// given
		Pushes.put(this.gateway, "job/importJob", PAYLOAD);
		int port = this.gateway.port();

		// when
		this.gateway.restart();

		// then
		assertThat(this.gateway.port()).isEqualTo(port);
		assertThat(this.gateway.groupCount()).isZero();
		assertThat(this.gateway.metrics().samples("batch_job_running")).isEmpty();
	}

	@Test
	void stoppedGatewayRefusesConnectionsUntilStartedAgain() throws Exception {
		// when
		this.gateway.stop();

		// then
		assertThat(this.gateway.isRunning()).isFalse();
		assertThatIOException().isThrownBy(() -> Pushes.put(this.gateway, "job/importJob", PAYLOAD));

		// when
		this.gateway.startAgain();

		// then
		assertThat(Pushes.put(this.gateway, "job/importJob", PAYLOAD)).isEqualTo(200);
		assertThat(this.gateway.groupCount()).isEqualTo(1);
	}

	@Test
	void closeStopsTheProcessAndDeletesItsDirectory() {
		// given
		Path directory = this.gateway.directory();
		assertThat(directory.resolve("pushgateway.log")).exists();

		// when
		this.gateway.close();

		// then
		assertThat(Files.exists(directory)).isFalse();
		assertThat(isListening(this.gateway.port())).isFalse();
	}

	private static boolean isListening(int port) {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
