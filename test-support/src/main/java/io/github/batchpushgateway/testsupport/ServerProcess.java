package io.github.batchpushgateway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running server binary: its process, its log file and how to tell it is ready.
 *
 * <p>
 * Every process started here is also destroyed by a JVM shutdown hook, so no server
 * outlives the test JVM even when a test forgets to close it.
 */
final class ServerProcess {

	private static final Logger logger = LoggerFactory.getLogger(ServerProcess.class);

	private static final Duration STOP_GRACE = Duration.ofSeconds(10);

	private static final Duration READINESS_POLL = Duration.ofMillis(100);

	private static final int LOG_TAIL_LINES = 40;

	private static final Set<Process> running = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(ServerProcess::destroyAll, "test-support-server-reaper"));
	}

	private final String name;

	private final Process process;

	private final Path logFile;

	private ServerProcess(String name, Process process, Path logFile) {
		this.name = name;
		this.process = process;
		this.logFile = logFile;
	}

	/**
	 * Start a server and wait until its readiness URI answers with an accepted status.
	 * @param name name used in messages, usually the binary's name
	 * @param command the command line, executable first
	 * @param logFile file that receives standard output and standard error (appended)
	 * @param readiness URI polled until it answers
	 * @param readyStatus which HTTP status codes mean "ready"
	 * @param timeout how long to wait for readiness
	 * @return the ready server
	 * @throws IllegalStateException when the server exits or is not ready in time, with
	 * the tail of its log
	 */
	static ServerProcess start(String name, List<String> command, Path logFile, URI readiness,
			IntPredicate readyStatus, Duration timeout) {
		return start(name, command, Map.of(), logFile, httpReadiness(readiness, readyStatus), timeout);
	}

	/**
	 * Start a server that speaks no HTTP and wait until a probe says it is ready.
	 * @param name name used in messages, usually the binary's name
	 * @param command the command line, executable first
	 * @param environment variables added to the inherited environment
	 * @param logFile file that receives standard output and standard error (appended)
	 * @param readiness probe polled until it reports no problem
	 * @param timeout how long to wait for readiness
	 * @return the ready server
	 * @throws IllegalStateException when the server exits or is not ready in time, with
	 * the tail of its log
	 */
	static ServerProcess start(String name, List<String> command, Map<String, String> environment, Path logFile,
			Readiness readiness, Duration timeout) {
		Process process;
		try {
			Files.writeString(logFile, "$ " + String.join(" ", command) + System.lineSeparator(),
					StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
					java.nio.file.StandardOpenOption.APPEND);
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
				.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
			builder.environment().putAll(environment);
			process = builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + name, ex);
		}
		running.add(process);
		ServerProcess server = new ServerProcess(name, process, logFile);
		try {
			server.awaitReady(readiness, timeout);
		}
		catch (RuntimeException ex) {
			server.stop();
			throw ex;
		}
		logger.debug("{} ready (log: {})", name, logFile);
		return server;
	}

	/**
	 * Start a server on a free loopback port, trying again with another port when the
	 * chosen one was taken between {@link FreePorts#next()} and the server's bind.
	 * @param name name used in messages, usually the binary's name
	 * @param command the command line for a given port
	 * @param logFile file that receives the process output (appended)
	 * @param readiness the readiness URI for a given port
	 * @param readyStatus which HTTP status codes mean "ready"
	 * @param timeout how long to wait for readiness
	 * @return the port and the ready server
	 */
	static Launched startOnFreePort(String name, IntFunction<List<String>> command, Path logFile,
			IntFunction<URI> readiness, IntPredicate readyStatus, Duration timeout) {
		return startOnFreePort(name,
				(port) -> start(name, command.apply(port), logFile, readiness.apply(port), readyStatus, timeout));
	}

	/**
	 * Start a server on a free loopback port, trying again with another port when the
	 * chosen one was taken between {@link FreePorts#next()} and the server's bind.
	 * @param name name used in messages, usually the binary's name
	 * @param start starts the server on a given port and waits until it is ready
	 * @return the port and the ready server
	 */
	static Launched startOnFreePort(String name, IntFunction<ServerProcess> start) {
		int attempts = 3;
		for (int attempt = 1;; attempt++) {
			int port = FreePorts.next();
			try {
				return new Launched(port, start.apply(port));
			}
			catch (IllegalStateException ex) {
				boolean portTaken = String.valueOf(ex.getMessage()).toLowerCase().contains("address already in use");
				if (!portTaken || attempt == attempts) {
					throw ex;
				}
				logger.debug("Port {} was taken meanwhile, starting {} again on another port", port, name);
			}
		}
	}

	private static Readiness httpReadiness(URI readiness, IntPredicate readyStatus) {
		HttpClient client = Http.client();
		HttpRequest request = HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).GET().build();
		return () -> {
			try {
				HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
				return readyStatus.test(response.statusCode()) ? null
						: "HTTP " + response.statusCode() + " from " + readiness;
			}
			catch (IOException ex) {
				return ex + " from " + readiness;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for " + readiness, ex);
			}
		};
	}

	private void awaitReady(Readiness readiness, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		String lastProblem = "no answer yet";
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + " exited with code " + this.process.exitValue()
						+ " before it was ready" + logTailMessage());
			}
			String problem = readiness.problem();
			if (problem == null) {
				return;
			}
			lastProblem = problem;
			sleep(READINESS_POLL);
		}
		throw new IllegalStateException(this.name + " was not ready within " + timeout + " (last: " + lastProblem
				+ ")" + logTailMessage());
	}

	/**
	 * Return the process id, for signals the JDK cannot send (such as {@code SIGKILL} to
	 * one child).
	 * @return the pid
	 */
	long pid() {
		return this.process.pid();
	}

	/**
	 * Whether the process is still running.
	 * @return {@code true} while alive
	 */
	boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Stop the process: ask it to terminate, wait up to 10 seconds, then kill it.
	 */
	void stop() {
		try {
			stop(this.process);
		}
		finally {
			running.remove(this.process);
		}
	}

	/**
	 * Return the last lines of the process log.
	 * @return the log tail, possibly empty
	 */
	String logTail() {
		return tail(this.logFile, LOG_TAIL_LINES);
	}

	private String logTailMessage() {
		return System.lineSeparator() + "--- last lines of " + this.logFile + " ---" + System.lineSeparator()
				+ logTail();
	}

	static String tail(Path file, int lines) {
		try {
			if (!Files.exists(file)) {
				return "";
			}
			List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
			return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException | UncheckedIOException ex) {
			return "(log unreadable: " + ex + ")";
		}
	}

	private static void stop(Process process) {
		if (!process.isAlive()) {
			return;
		}
		process.destroy();
		try {
			if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	private static void destroyAll() {
		// Runs while the JVM exits (a test forgot close(), or the build was interrupted):
		// no server may outlive the JVM, and each gets only a short grace period.
		for (Process process : running) {
			process.destroy();
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
		for (Process process : running) {
			try {
				long remaining = Math.max(0, deadline - System.nanoTime());
				if (!process.waitFor(remaining, TimeUnit.NANOSECONDS)) {
					process.destroyForcibly().waitFor(1, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				process.destroyForcibly();
				Thread.currentThread().interrupt();
			}
		}
		TempDirectories.deleteRemaining();
	}

	/**
	 * A server started on a port chosen for it.
	 *
	 * @param port the port the server listens on
	 * @param process the server process
	 */
	record Launched(int port, ServerProcess process) {
	}

	/**
	 * Tells whether a starting server is ready yet.
	 */
	@FunctionalInterface
	interface Readiness {

		/**
		 * Probe the server once.
		 * @return {@code null} when ready, else what is still wrong, for the timeout message
		 */
		String problem();

	}

	static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

}
