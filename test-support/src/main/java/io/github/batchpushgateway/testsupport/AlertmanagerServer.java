package io.github.batchpushgateway.testsupport;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real {@code prometheus-alertmanager} on a free loopback port, without clustering,
 * with its storage in its own temporary directory.
 */
public final class AlertmanagerServer implements AutoCloseable {

	private static final String BINARY = "prometheus-alertmanager";

	private static final Duration READINESS_TIMEOUT = Duration.ofSeconds(20);

	private final Path directory;

	private final int port;

	private final ServerProcess process;

	private AlertmanagerServer(Path directory, ServerProcess.Launched launched) {
		this.directory = directory;
		this.port = launched.port();
		this.process = launched.process();
	}

	/**
	 * Start Alertmanager with a configuration file.
	 * @param configFile the {@code alertmanager.yml}
	 * @return the ready server
	 */
	public static AlertmanagerServer start(Path configFile) {
		Path binary = Binaries.require(BINARY);
		Path directory = TempDirectories.create("alertmanager");
		try {
			Path config = configFile.toAbsolutePath();
			Path storage = directory.resolve("data");
			ServerProcess.Launched launched = ServerProcess.startOnFreePort(BINARY,
					(port) -> List.of(binary.toString(), "--config.file=" + config, "--storage.path=" + storage,
							"--web.listen-address=127.0.0.1:" + port,
							// Empty disables the gossip cluster, which would listen on 0.0.0.0:9094.
							"--cluster.listen-address="),
					directory.resolve("alertmanager.log"),
					(port) -> URI.create("http://127.0.0.1:" + port + "/-/ready"), (status) -> status == 200,
					READINESS_TIMEOUT);
			return new AlertmanagerServer(directory, launched);
		}
		catch (RuntimeException ex) {
			TempDirectories.delete(directory);
			throw ex;
		}
	}

	/**
	 * Return the port Alertmanager listens on.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Return the address, as Prometheus' {@code alerting.alertmanagers} targets expect.
	 * @return {@code 127.0.0.1:<port>}
	 */
	public String address() {
		return "127.0.0.1:" + this.port;
	}

	/**
	 * Return the base URL.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public String url() {
		return "http://" + address();
	}

	/**
	 * GET a path of the HTTP API and return the raw JSON.
	 * @param pathAndQuery for example
	 * {@code /api/v2/alerts?active=true&inhibited=true&silenced=false}
	 * @return the response body
	 * @throws IllegalStateException unless the answer is 2xx
	 */
	public String getJson(String pathAndQuery) {
		return Http.get(URI.create(url() + pathAndQuery));
	}

	/**
	 * Return the last lines of the Alertmanager log, for assertion messages.
	 * @return the log tail
	 */
	public String logTail() {
		return this.process.logTail();
	}

	/**
	 * Stop Alertmanager and delete its temporary directory.
	 */
	@Override
	public void close() {
		try {
			this.process.stop();
		}
		finally {
			TempDirectories.delete(this.directory);
		}
	}

	@Override
	public String toString() {
		return "AlertmanagerServer[" + url() + "]";
	}

}
