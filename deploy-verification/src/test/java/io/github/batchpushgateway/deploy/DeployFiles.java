package io.github.batchpushgateway.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Locates the files of the operations pack in the repository's {@code deploy/} directory, which
 * the tests read in place: what they prove is what users copy.
 */
final class DeployFiles {

	private DeployFiles() {
	}

	/**
	 * Returns the {@code deploy/} directory: the {@code deploy.directory} system property set by
	 * the build, else {@code ../deploy} from the module directory.
	 * @return the absolute directory
	 */
	static Path root() {
		String configured = System.getProperty("deploy.directory");
		Path root = (configured != null) ? Path.of(configured) : Path.of("..", "deploy");
		root = root.toAbsolutePath().normalize();
		if (!Files.isDirectory(root)) {
			throw new IllegalStateException("No deploy directory at " + root);
		}
		return root;
	}

	static Path ruleDirectory() {
		return root().resolve("prometheus/rules");
	}

	/**
	 * Returns the rule files Prometheus loads with {@code rule_files: ["rules/*.yml"]}.
	 * @return the rule files, sorted by name
	 */
	static List<Path> ruleFiles() {
		return list(ruleDirectory(), ".yml");
	}

	/**
	 * Returns the promtool unit test files, kept in a subdirectory so that the rule glob does not
	 * load them as rules.
	 * @return the test files, sorted by name
	 */
	static List<Path> ruleTestFiles() {
		return list(ruleDirectory().resolve("tests"), ".test.yml");
	}

	static Path prometheusConfig() {
		return root().resolve("prometheus/prometheus.yml");
	}

	static Path alertmanagerConfig() {
		return root().resolve("alertmanager/alertmanager.yml");
	}

	static Path grafanaDirectory() {
		return root().resolve("grafana");
	}

	static List<Path> dashboards() {
		return list(grafanaDirectory().resolve("dashboards"), ".json");
	}

	private static List<Path> list(Path directory, String suffix) {
		try (Stream<Path> files = Files.list(directory)) {
			List<Path> result = files.filter((file) -> file.getFileName().toString().endsWith(suffix))
				.filter(Files::isRegularFile)
				.sorted()
				.toList();
			if (result.isEmpty()) {
				throw new IllegalStateException("No *" + suffix + " file in " + directory);
			}
			return result;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not list " + directory, ex);
		}
	}

}
