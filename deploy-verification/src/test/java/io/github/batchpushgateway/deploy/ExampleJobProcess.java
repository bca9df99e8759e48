package io.github.batchpushgateway.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the example GDPR erasure job the way its users do, {@code java -jar}, once, against a
 * given Pushgateway, with its H2 database in a temporary directory.
 */
final class ExampleJobProcess {

	private static final Duration TIMEOUT = Duration.ofMinutes(2);

	private ExampleJobProcess() {
	}

	/**
	 * Runs the job to completion.
	 * @param gatewayAddress the gateway's {@code host:port}
	 * @param directory a directory for the database and the log
	 * @param customers how many demo customers to generate
	 * @param properties further {@code name=value} properties for the application
	 * @return the process exit code: 0 when the job completed
	 */
	static int run(String gatewayAddress, Path directory, int customers, String... properties) {
		Path jar = jar();
		Path log = directory.resolve("example-job.log");
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				// Start fast on a loaded machine: the test waits for the job, not for the JIT.
				"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString(), "--batch.pushgateway.address=" + gatewayAddress,
				"--demo.data-dir=" + directory.resolve("data"), "--demo.customers=" + customers));
		for (String property : properties) {
			command.add("--" + property);
		}
		try {
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
			// A test key: the job refuses to run without one (it keys the suppression list's HMAC).
			builder.environment().put("GDPR_SUPPRESSION_HMAC_KEY", "deploy-verification-test-key-0123456789abcdef");
			Process process = builder.start();
			if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new AssertionError("The example job did not finish within " + TIMEOUT + "; log:\n" + tail(log));
			}
			return process.exitValue();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + jar, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static String tail(Path log) {
		try {
			List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	/**
	 * Returns the example job's executable jar that the build packaged.
	 * @return the jar
	 */
	static Path jar() {
		String configured = System.getProperty("example.jar");
		if (configured == null || !Files.isRegularFile(Path.of(configured))) {
			throw new IllegalStateException("The example job's jar (" + configured + ") is missing: build it with "
					+ "'./mvnw -B -pl deploy-verification -am verify' or './scripts/test', which package example-gdpr-job first");
		}
		return Path.of(configured);
	}

}
