package io.github.batchpushgateway.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real RabbitMQ broker (Debian package {@code rabbitmq-server}) on a free loopback
 * AMQP port, as a node of its own: its own node name, its own Erlang port mapper
 * ({@code epmd}) and distribution port on free loopback ports, its database, logs,
 * configuration and Erlang cookie in a temporary directory, and no plugins (no
 * management UI). It is ready when its AMQP port answers the protocol header.
 *
 * <p>
 * Typical use: <pre class="code">
 * try (RabbitMqServer rabbit = RabbitMqServer.start()) {
 *     // spring.rabbitmq.host=rabbit.host(), spring.rabbitmq.port=rabbit.amqpPort()
 * }
 * </pre>
 *
 * <p>
 * The default {@code guest} user is allowed because clients connect over loopback.
 * {@link #close()} stops the broker and its port mapper and deletes the directory.
 */
public final class RabbitMqServer implements AutoCloseable {

	/** Debian package that provides the broker. */
	static final String PACKAGE = "rabbitmq-server";

	// The Debian package's /usr/sbin/rabbitmq-server switches to the rabbitmq user and its
	// home; the script it calls runs the node as whoever starts it, with our environment.
	private static final Path DEBIAN_SCRIPT = Path.of("/usr/lib/rabbitmq/bin/rabbitmq-server");

	private static final Path ERLANG_BIN = Path.of("/usr/lib/erlang/bin");

	private static final Duration READINESS_TIMEOUT = Duration.ofSeconds(120);

	private static final byte[] AMQP_0_9_1_HEADER = "AMQP\0\0\11\1".getBytes(StandardCharsets.ISO_8859_1);

	private static final int AMQP_METHOD_FRAME = 1;

	private final Path directory;

	private final int amqpPort;

	private final ServerProcess epmd;

	private final ServerProcess broker;

	private RabbitMqServer(Path directory, int amqpPort, ServerProcess epmd, ServerProcess broker) {
		this.directory = directory;
		this.amqpPort = amqpPort;
		this.epmd = epmd;
		this.broker = broker;
	}

	/**
	 * Start a broker in a new temporary directory on free loopback ports.
	 * @return the ready broker
	 * @throws IllegalStateException when the binaries are missing (naming
	 * {@code ./scripts/setup}) or the broker does not become ready within two minutes
	 */
	public static RabbitMqServer start() {
		Path script = brokerScript();
		Path epmdBinary = epmdBinary();
		Path directory = TempDirectories.create("rabbitmq");
		ServerProcess epmd = null;
		try {
			writeConfiguration(directory);
			ServerProcess.Launched mapper = ServerProcess.startOnFreePort("epmd",
					(port) -> ServerProcess.start("epmd",
							List.of(epmdBinary.toString(), "-port", String.valueOf(port), "-address", "127.0.0.1"),
							Map.of(), directory.resolve("epmd.log"), () -> notAcceptingProblem(port),
							Duration.ofSeconds(20)));
			epmd = mapper.process();
			ServerProcess.Launched broker = ServerProcess.startOnFreePort("rabbitmq-server",
					(port) -> ServerProcess.start("rabbitmq-server", List.of(script.toString()),
							environment(directory, port, mapper.port()), directory.resolve("rabbitmq.log"),
							() -> notAmqpProblem(port), READINESS_TIMEOUT));
			return new RabbitMqServer(directory, broker.port(), epmd, broker.process());
		}
		catch (RuntimeException ex) {
			if (epmd != null) {
				epmd.stop();
			}
			TempDirectories.delete(directory);
			throw ex;
		}
	}

	static Path brokerScript() {
		if (Binaries.isExecutable(DEBIAN_SCRIPT)) {
			return DEBIAN_SCRIPT;
		}
		// Outside Debian (a generic Unix install), the script on the PATH is the real one.
		return Binaries.find("rabbitmq-server")
			.filter((found) -> !found.startsWith("/usr/sbin"))
			.orElseThrow(() -> Binaries.missing("rabbitmq-server not found in " + DEBIAN_SCRIPT.getParent()
					+ " or on the PATH", PACKAGE));
	}

	private static Path epmdBinary() {
		Optional<Path> found = Binaries.find("epmd");
		if (found.isPresent()) {
			return found.get();
		}
		Path erlang = ERLANG_BIN.resolve("epmd");
		if (Binaries.isExecutable(erlang)) {
			return erlang;
		}
		throw Binaries.missing("Erlang's epmd not found on the PATH or in " + ERLANG_BIN, PACKAGE);
	}

	private static void writeConfiguration(Path directory) {
		try {
			Files.writeString(directory.resolve("enabled_plugins"), "[].\n", StandardCharsets.UTF_8);
			Files.writeString(directory.resolve("rabbitmq.conf"),
					// The port itself comes from RABBITMQ_NODE_PORT; less noise, no disk alarm
					// on a nearly full test machine's temporary disk.
					"log.console.level = warning\ndisk_free_limit.absolute = 1MB\n", StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write the RabbitMQ configuration", ex);
		}
	}

	private static Map<String, String> environment(Path directory, int amqpPort, int epmdPort) {
		Map<String, String> environment = new LinkedHashMap<>();
		// The Erlang cookie is written to and read from $HOME.
		environment.put("HOME", directory.toString());
		environment.put("RABBITMQ_NODENAME", "rabbit-test-" + amqpPort + "@localhost");
		environment.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
		environment.put("RABBITMQ_NODE_PORT", String.valueOf(amqpPort));
		environment.put("RABBITMQ_DIST_PORT", String.valueOf(FreePorts.next()));
		environment.put("ERL_EPMD_PORT", String.valueOf(epmdPort));
		environment.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}");
		environment.put("RABBITMQ_MNESIA_BASE", directory.resolve("mnesia").toString());
		environment.put("RABBITMQ_LOG_BASE", directory.resolve("log").toString());
		environment.put("RABBITMQ_CONFIG_FILE", directory.resolve("rabbitmq.conf").toString());
		environment.put("RABBITMQ_ADVANCED_CONFIG_FILE", directory.resolve("advanced.config").toString());
		environment.put("RABBITMQ_ENABLED_PLUGINS_FILE", directory.resolve("enabled_plugins").toString());
		// Not /etc/rabbitmq/rabbitmq-env.conf, which would override the settings above.
		environment.put("RABBITMQ_CONF_ENV_FILE", directory.resolve("rabbitmq-env.conf").toString());
		environment.put("ERL_CRASH_DUMP", directory.resolve("erl_crash.dump").toString());
		return environment;
	}

	private static String notAcceptingProblem(int port) {
		try (Socket socket = connect(port)) {
			return null;
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

	private static String notAmqpProblem(int port) {
		try (Socket socket = connect(port)) {
			socket.getOutputStream().write(AMQP_0_9_1_HEADER);
			socket.getOutputStream().flush();
			InputStream input = socket.getInputStream();
			int frameType = input.read();
			return (frameType == AMQP_METHOD_FRAME) ? null
					: "AMQP port " + port + " answered the protocol header with frame type " + frameType;
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

	private static Socket connect(int port) throws IOException {
		Socket socket = new Socket();
		try {
			socket.setSoTimeout(2000);
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
			return socket;
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	/**
	 * Return the host clients connect to.
	 * @return {@code 127.0.0.1}
	 */
	public String host() {
		return "127.0.0.1";
	}

	/**
	 * Return the AMQP port.
	 * @return the port
	 */
	public int amqpPort() {
		return this.amqpPort;
	}

	/**
	 * Return the user clients log in as.
	 * @return {@code guest}, allowed over loopback
	 */
	public String username() {
		return "guest";
	}

	/**
	 * Return the password of {@link #username()}.
	 * @return {@code guest}
	 */
	public String password() {
		return "guest";
	}

	/**
	 * Return the temporary directory that holds the broker's database, logs and
	 * configuration.
	 * @return the directory, deleted on {@link #close()}
	 */
	public Path directory() {
		return this.directory;
	}

	/**
	 * Whether the broker process is running.
	 * @return {@code true} unless closed or exited
	 */
	public boolean isRunning() {
		return this.broker.isAlive();
	}

	/**
	 * Return the last lines of the broker's output, for assertion messages.
	 * @return the log tail, possibly empty
	 */
	public String logTail() {
		return this.broker.logTail();
	}

	/**
	 * Stop the broker and its port mapper and delete the temporary directory.
	 */
	@Override
	public void close() {
		try {
			// SIGTERM makes the start script stop the node cleanly.
			this.broker.stop();
		}
		finally {
			try {
				this.epmd.stop();
			}
			finally {
				TempDirectories.delete(this.directory);
			}
		}
	}

	@Override
	public String toString() {
		return "RabbitMqServer[amqp://127.0.0.1:" + this.amqpPort + "]";
	}

}
