package io.github.batchpushgateway.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the Prometheus tool binaries that the tests run for real.
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
		for (Path directory : searchPath()) {
			Path candidate = directory.resolve(command);
			if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		throw new IllegalStateException(command + " not found on the PATH or in " + FALLBACK_DIRECTORY
				+ ". Run ./scripts/setup (installs the Debian packages " + PACKAGES + ")");
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
