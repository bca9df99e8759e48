package io.github.batchpushgateway.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code scripts/render-rules}, which renders the rules of {@code deploy/prometheus/rules/}
 * for another Pushgateway scrape job and writes the Prometheus Operator manifests made from them.
 */
final class RenderRules {

	private RenderRules() {
	}

	static Path script() {
		return DeployFiles.root().resolveSibling("scripts").resolve("render-rules");
	}

	/**
	 * Runs the script with the given arguments and fails unless it succeeds.
	 * @param arguments its arguments
	 */
	static void run(String... arguments) {
		List<String> command = new ArrayList<>(List.of(script().toString()));
		command.addAll(List.of(arguments));
		try {
			Path output = Files.createTempFile("render-rules", ".log");
			try {
				Process process = new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(output.toFile())
					.start();
				if (!process.waitFor(60, TimeUnit.SECONDS)) {
					process.destroyForcibly();
					throw new IllegalStateException(String.join(" ", command) + " did not finish within 60 s");
				}
				if (process.exitValue() != 0) {
					throw new IllegalStateException(String.join(" ", command) + " failed:\n"
							+ Files.readString(output, StandardCharsets.UTF_8));
				}
			}
			finally {
				Files.deleteIfExists(output);
			}
		}
		catch (IOException ex) {
			// The script needs python3 (standard library only), part of every Debian install.
			throw new UncheckedIOException("Could not run " + command + ": is python3 installed? Run ./scripts/setup",
					ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + command, ex);
		}
	}

}
