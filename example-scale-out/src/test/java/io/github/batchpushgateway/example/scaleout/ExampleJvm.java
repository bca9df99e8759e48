package io.github.batchpushgateway.example.scaleout;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One JVM of the example, started from the jar this build packaged, as a real user runs
 * it: a manager or a worker process with its own log file.
 */
final class ExampleJvm implements AutoCloseable {

	static final Path JAR = Path.of("target/batch-pushgateway-example-scale-out-0.1.0-SNAPSHOT.jar")
		.toAbsolutePath();

	private final String name;

	private final Process process;

	private final Path log;

	private ExampleJvm(String name, Process process, Path log) {
		this.name = name;
		this.process = process;
		this.log = log;
	}

	static ExampleJvm start(String name, Path logDirectory, List<String> arguments) {
		if (!Files.isRegularFile(JAR)) {
			throw new IllegalStateException(JAR + " is missing: the tests run after `package` (failsafe, *IT)");
		}
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				// Small and quick to start: three of these share the test machine.
				"-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString()));
		command.addAll(arguments);
		Path log = logDirectory.resolve(name + ".log");
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
				.start();
			return new ExampleJvm(name, process, log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + name, ex);
		}
	}

	/**
	 * Wait until the worker's {@code /actuator/health} answers 200.
	 */
	void awaitHealthy(int port, Duration timeout) {
		HttpClient client = HttpClient.newHttpClient();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
			.timeout(Duration.ofSeconds(2))
			.build();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + " exited with " + this.process.exitValue() + logTail());
			}
			try {
				if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			sleep(Duration.ofMillis(250));
		}
		throw new IllegalStateException(this.name + " was not healthy within " + timeout + logTail());
	}

	/**
	 * Wait for the process to exit.
	 * @return its exit code
	 */
	int awaitExit(Duration timeout) {
		try {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new AssertionError(this.name + " did not exit within " + timeout + logTail());
			}
			return this.process.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Send SIGTERM, as a container runtime or {@code kill} does. */
	void terminate() {
		this.process.destroy();
	}

	/** Send SIGKILL: the JVM dies without a shutdown hook, as in an OOM kill. */
	void kill() {
		this.process.destroyForcibly();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	/** Whether the process's log holds a text, such as a step it executed. */
	boolean logged(String text) {
		try {
			return Files.readString(this.log, StandardCharsets.UTF_8).contains(text);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String logTail() {
		try {
			List<String> lines = Files.readAllLines(this.log, StandardCharsets.UTF_8);
			return "\n--- last lines of " + this.log + " ---\n"
					+ String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
		}
		catch (IOException | UncheckedIOException ex) {
			return "\n(log unreadable: " + ex + ")";
		}
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroy();
			try {
				if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
					this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				this.process.destroyForcibly();
				Thread.currentThread().interrupt();
			}
		}
	}

	static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public String toString() {
		return this.name;
	}

}
