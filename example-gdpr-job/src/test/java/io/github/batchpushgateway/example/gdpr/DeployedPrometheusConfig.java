package io.github.batchpushgateway.example.gdpr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The repository's {@code deploy/prometheus/prometheus.yml}, and a loopback copy of it for
 * tests, made the way {@code scripts/demo} makes its copy: the gateway target points at a
 * local gateway, rule files at the repository's rules, and there is no Alertmanager (nothing
 * leaves the machine).
 */
final class DeployedPrometheusConfig {

	/**
	 * The repository's root, seen from the module's directory (where Maven runs the tests).
	 */
	static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

	static final Path FILE = REPOSITORY.resolve("deploy/prometheus/prometheus.yml");

	private DeployedPrometheusConfig() {
	}

	static Map<String, Object> load(Path file) {
		try {
			return new Yaml().load(Files.readString(file));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Writes a copy that scrapes a local gateway.
	 * @param pushgatewayAddress the gateway's {@code host:port}
	 * @param interval scrape and evaluation interval
	 * @param directory where to write it
	 * @return the written file
	 */
	@SuppressWarnings("unchecked")
	static Path loopbackCopy(String pushgatewayAddress, Duration interval, Path directory) {
		Map<String, Object> config = load(FILE);
		Map<String, Object> global = (Map<String, Object>) config.get("global");
		global.put("scrape_interval", interval.toMillis() + "ms");
		global.put("evaluation_interval", interval.toMillis() + "ms");
		config.remove("alerting");
		List<String> rules = new ArrayList<>();
		for (String rule : (List<String>) config.get("rule_files")) {
			rules.add(FILE.getParent().resolve(rule).toString());
		}
		config.put("rule_files", rules);
		List<Map<String, Object>> scrapeConfigs = (List<Map<String, Object>>) config.get("scrape_configs");
		scrapeConfigs.removeIf((job) -> !"pushgateway".equals(job.get("job_name")));
		Map<String, Object> pushgateway = scrapeConfigs.get(0);
		pushgateway.put("static_configs", List.of(Map.of("targets", List.of(pushgatewayAddress))));
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		try {
			return Files.writeString(directory.resolve("prometheus.yml"), new Yaml(options).dump(config));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
