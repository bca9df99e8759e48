package io.github.batchpushgateway.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.github.batchpushgateway.testsupport.PushgatewayServer;

/**
 * {@code deploy/prometheus/prometheus.yml} as the end-to-end alerting tests run it: scrapes and
 * rule evaluations every second, the shortened rule files, and only the {@code pushgateway}
 * scrape job, pointed at the test's gateway instead of the compose service name.
 */
final class FastPrometheusConfig {

	private FastPrometheusConfig() {
	}

	/**
	 * Reads the deployed configuration and adapts it; the caller decides what becomes of its
	 * {@code alerting} section, then writes it with {@link Yaml#write}.
	 * @param gateway the gateway to scrape
	 * @param rules the directory to write the shortened rule files to
	 * @return the configuration
	 */
	static Map<String, Object> of(PushgatewayServer gateway, Path rules) {
		Map<String, Object> config = Yaml.read(DeployFiles.prometheusConfig());
		Map<String, Object> global = Yaml.map(config.get("global"));
		global.put("scrape_interval", "1s");
		global.put("evaluation_interval", "1s");
		config.put("rule_files", List.of(ShortDurationRules.writeTo(rules)));
		Map<String, Object> gatewayScrape = Yaml.list(config.get("scrape_configs"))
			.stream()
			.map(Yaml::map)
			.filter((scrape) -> "pushgateway".equals(scrape.get("job_name")))
			.findFirst()
			.orElseThrow();
		gatewayScrape.put("static_configs", List.of(Map.of("targets", List.of(gateway.address()))));
		config.put("scrape_configs", List.of(gatewayScrape));
		return config;
	}

	/**
	 * The same without Alertmanager, for tests that read the alerts from Prometheus.
	 * @param gateway the gateway to scrape
	 * @param rules the directory to write the shortened rule files to
	 * @return the configuration, as YAML
	 */
	static String withoutAlerting(PushgatewayServer gateway, Path rules) {
		Map<String, Object> config = of(gateway, rules);
		config.remove("alerting");
		return Yaml.write(config);
	}

}
