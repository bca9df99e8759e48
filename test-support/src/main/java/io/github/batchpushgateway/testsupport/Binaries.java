package io.github.batchpushgateway.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the binaries that the tests run for real (Prometheus tools, PostgreSQL, RabbitMQ).
 *
 * <p>
 * A missing binary is an error, never a reason to skip a test: the message names the
 * command that installs it.
 */
public final class Binaries {

	/** Debian packages that provide every binary the tests use. */
	static final String PACKAGES = "prometheus-pushgateway prometheus prometheus-alertmanager prometheus-node-exporter";

	private static final Path FALLBACK_DIRECTORY = Path.of("/usr/bin");

	private Binaries() {
	}

	/**
	 * Return the path of an executable, looked up on the {@code PATH}, then in
	 * {@code /usr/bin}.
	 * @param command the executable's name, for example {@code prometheus-pushgateway}
	 * @return the executable's path
	 * @throws IllegalStateException when the executable is not found, with a message
	 * naming {@code ./scripts/setup}
	 */
	public static Path require(String command) {
		if (command == null || command.isBlank() || command.contains("/")) {
			throw new IllegalArgumentException("'command' must be a plain executable name, was: " + command);
		}
		return find(command).orElseThrow(() -> missing(command + " not found on the PATH or in " + FALLBACK_DIRECTORY,
				PACKAGES));
	}

	/**
	 * Look an executable up on the {@code PATH}, then in {@code /usr/bin}.
	 * @param command the executable's name
	 * @return its path, or empty when not found
	 */
	static Optional<Path> find(String command) {
		for (Path directory : searchPath()) {
			Path candidate = directory.resolve(command);
			if (isExecutable(candidate)) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}

	static boolean isExecutable(Path file) {
		return Files.isRegularFile(file) && Files.isExecutable(file);
	}

	/**
	 * Return the error for a missing binary, naming the command that installs it.
	 * @param problem what was not found, and where it was looked for
	 * @param packages the Debian packages that provide it
	 * @return the exception to throw
	 */
	static IllegalStateException missing(String problem, String packages) {
		return new IllegalStateException(
				problem + ". Run ./scripts/setup (installs the Debian packages " + packages + ")");
	}

	private static List<Path> searchPath() {
		List<Path> directories = new ArrayList<>();
		String path = System.getenv("PATH");
		if (path != null) {
			for (String entry : path.split(File.pathSeparator)) {
				if (!entry.isBlank()) {
					directories.add(Path.of(entry));
				}
			}
		}
		directories.add(FALLBACK_DIRECTORY);
		return directories;
	}

}
