package io.github.batchpushgateway.testsupport;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntPredicate;

/**
 * A real server binary on a free loopback port, with a temporary directory of its own that
 * holds its log and its data. The base of {@link PushgatewayServer}, {@link PrometheusServer}
 * and {@link AlertmanagerServer}: starting on a free port, waiting for {@code /-/ready},
 * addresses, the log, stopping and starting again on the same port, and the clean-up live
 * here; each subclass says how to run its binary and adds its own API.
 *
 * <p>
 * A missing binary fails the start with a message naming {@code ./scripts/setup}. Every
 * process is also destroyed by a JVM shutdown hook, so no server outlives the test JVM.
 */
public abstract class LoopbackServer implements AutoCloseable {

	private static final int LOG_TAIL_LINES = 40;

	private final Definition definition;

	private final Path binary;

	private final Path directory;

	private final int port;

	private ServerProcess process;

	LoopbackServer(Started started) {
		this.definition = started.definition();
		this.binary = started.binary();
		this.directory = started.directory();
		this.port = started.launched().port();
		this.process = started.launched().process();
	}

	/**
	 * Start a server on a free port in a directory that the server then owns: it is deleted
	 * when the start fails or the server closes.
	 * @param <S> the server type
	 * @param definition how to run the binary
	 * @param directory the server's temporary directory, from {@link TempDirectories#create}
	 * @param server creates the server object once its process is ready
	 * @return the ready server
	 */
	static <S extends LoopbackServer> S launch(Definition definition, Path directory, Function<Started, S> server) {
		try {
			Path binary = Binaries.require(definition.binary());
			ServerProcess.Launched launched = ServerProcess.startOnFreePort(definition.binary(),
					(port) -> definition.command().command(binary, directory, port),
					directory.resolve(definition.logFileName()), LoopbackServer::readinessUri, definition.readyStatus(),
					definition.readinessTimeout());
			return server.apply(new Started(definition, binary, directory, launched));
		}
		catch (RuntimeException ex) {
			TempDirectories.delete(directory);
			throw ex;
		}
	}

	private static URI readinessUri(int port) {
		return URI.create("http://127.0.0.1:" + port + "/-/ready");
	}

	/**
	 * Return the port the server listens on.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Return the address, as Prometheus targets and the starter's
	 * {@code batch.pushgateway.address} expect.
	 * @return {@code 127.0.0.1:<port>}
	 */
	public String address() {
		return "127.0.0.1:" + this.port;
	}

	/**
	 * Return the plain HTTP base URL.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public String url() {
		return "http://" + address();
	}

	/**
	 * Return the temporary directory that holds the server's log and data.
	 * @return the directory, deleted on {@link #close()}
	 */
	public Path directory() {
		return this.directory;
	}

	/**
	 * GET a path of the server's HTTP API and return the raw answer, usually JSON.
	 * @param pathAndQuery for example {@code /api/v1/rules} or
	 * {@code /api/v2/alerts?active=true}
	 * @return the response body
	 * @throws IllegalStateException unless the answer is 2xx
	 */
	public String getJson(String pathAndQuery) {
		return Http.get(URI.create(url() + pathAndQuery));
	}

	/**
	 * Return the last lines of the server's log, for assertion messages.
	 * @return the log tail, possibly empty
	 */
	public String logTail() {
		return ServerProcess.tail(this.directory.resolve(this.definition.logFileName()), LOG_TAIL_LINES);
	}

	/**
	 * Stop the server process. The port stays reserved for {@link #startAgain()}, and
	 * requests meanwhile fail with a refused connection.
	 */
	public synchronized void stop() {
		if (this.process != null) {
			this.process.stop();
			this.process = null;
		}
	}

	/**
	 * Start the server again on the same port, with the same directory, after
	 * {@link #stop()}. (Not named {@code start()}: the subclasses' static factories are.)
	 * @throws IllegalStateException when it is still running or does not become ready
	 */
	public synchronized void startAgain() {
		if (this.process != null) {
			throw new IllegalStateException(this + " is still running");
		}
		this.process = ServerProcess.start(this.definition.binary(),
				this.definition.command().command(this.binary, this.directory, this.port),
				this.directory.resolve(this.definition.logFileName()), readinessUri(this.port),
				this.definition.readyStatus(), this.definition.readinessTimeout());
	}

	/**
	 * Stop the server and start it again on the same port.
	 */
	public synchronized void restart() {
		stop();
		startAgain();
	}

	/**
	 * Whether the server process is running.
	 * @return {@code true} unless stopped or exited
	 */
	public synchronized boolean isRunning() {
		return this.process != null && this.process.isAlive();
	}

	/**
	 * Stop the server and delete its temporary directory.
	 */
	@Override
	public void close() {
		try {
			stop();
		}
		finally {
			TempDirectories.delete(this.directory);
		}
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + url() + "]";
	}

	/**
	 * The command line of a server binary.
	 */
	@FunctionalInterface
	interface Command {

		/**
		 * Return the command line, executable first.
		 * @param binary the binary found by {@link Binaries#require(String)}
		 * @param directory the server's temporary directory
		 * @param port the loopback port to listen on
		 * @return the command line
		 */
		List<String> command(Path binary, Path directory, int port);

	}

	/**
	 * How to run one kind of server.
	 *
	 * @param binary the binary's name, also used in messages
	 * @param logFileName name of the log file in the server's directory
	 * @param command the command line for a port
	 * @param readyStatus which HTTP status codes of {@code /-/ready} mean "ready"
	 * @param readinessTimeout how long to wait for readiness
	 */
	record Definition(String binary, String logFileName, Command command, IntPredicate readyStatus,
			Duration readinessTimeout) {

		/**
		 * A server that is ready when {@code /-/ready} answers 200.
		 * @param binary the binary's name
		 * @param logFileName name of the log file in the server's directory
		 * @param readinessTimeout how long to wait for readiness
		 * @param command the command line for a port
		 * @return the definition
		 */
		static Definition readyOn200(String binary, String logFileName, Duration readinessTimeout, Command command) {
			return new Definition(binary, logFileName, command, (status) -> status == 200, readinessTimeout);
		}

	}

	/**
	 * A server whose process is ready, handed to the subclass's constructor.
	 *
	 * @param definition how it was run
	 * @param binary the binary that runs
	 * @param directory its temporary directory
	 * @param launched its port and process
	 */
	record Started(Definition definition, Path binary, Path directory, ServerProcess.Launched launched) {

	}

}
