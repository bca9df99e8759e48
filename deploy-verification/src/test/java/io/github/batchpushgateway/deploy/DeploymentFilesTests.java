package io.github.batchpushgateway.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.batchpushgateway.testsupport.Promtool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The files users run the example with (Docker Compose, Kubernetes) parse, use the one
 * Prometheus configuration of {@code deploy/prometheus/}, agree on service names and ports,
 * and set only configuration properties that exist (checked against the configuration
 * metadata inside the example's executable jar: the starter's, Spring Boot's and the
 * example's own).
 */
class DeploymentFilesTests {

	private static final Path DEPLOY = DeployFiles.root();

	private static final Path REPOSITORY = DEPLOY.getParent();

	private static final Path PROMETHEUS_CONFIG = DeployFiles.prometheusConfig();

	/**
	 * The example's class whose {@code KEY_VARIABLE} names the environment variable that holds
	 * the suppression list's HMAC key.
	 */
	private static final String SUPPRESSION_KEYS = "io.github.batchpushgateway.example.gdpr.erasure.SuppressionKeys";

	/**
	 * A Spring Boot command-line property ({@code --demo.data-dir=/data}); flags without a dot,
	 * such as Docker's {@code --from=build}, are not properties.
	 */
	private static final Pattern ARGUMENT = Pattern.compile("^--([a-z0-9\\-]+\\.[a-z0-9.\\-\\[\\]]+)=.*$");

	/**
	 * Environment variables through which a container would give the JVM options other than the
	 * image's argument file.
	 */
	private static final String[] JVM_OPTION_VARIABLES = { "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS" };

	/**
	 * What the example's process takes beside the heap (metaspace, code cache, threads, the
	 * collector's own structures, H2's buffers): at most 153 MiB measured at 100,000 and 1,000,000
	 * customers (a peak resident memory of 568 to 665 MiB with a 512 MiB heap), and headroom.
	 */
	private static final long BESIDE_THE_HEAP = 192L * 1024 * 1024;

	/**
	 * Flags of the Prometheus, Alertmanager, Pushgateway and node exporter servers, which look like
	 * properties of the application but are not.
	 */
	private static final List<String> PROMETHEUS_FLAGS = List.of("--config.", "--storage.", "--web.", "--persistence.",
			"--collector.");

	@TempDir
	static Path unpacked;

	private static ExampleJar example;

	private static ConfigurationMetadata metadata;

	private static String keyVariable;

	@BeforeAll
	static void unpackTheExample() {
		example = ExampleJar.unpack(unpacked);
		metadata = ConfigurationMetadata.of(example.classLoader());
		keyVariable = example.constant(SUPPRESSION_KEYS, "KEY_VARIABLE");
	}

	@AfterAll
	static void deleteTheExample() throws IOException {
		if (example != null) {
			example.close();
		}
	}

	@Test
	void prometheusScrapesTheGatewayWithHonorLabelsLoadsTheRulesAndAlertsAlertmanager() {
		Map<String, Object> config = Yaml.read(PROMETHEUS_CONFIG);
		Map<String, Object> pushgateway = scrapeJob(config, "pushgateway");
		assertThat(pushgateway).containsEntry("honor_labels", true);
		assertThat(targets(pushgateway)).containsExactly("pushgateway:9091", "pushgateway-2:9091");
		Map<String, Object> node = scrapeJob(config, "node");
		assertThat(node).containsEntry("honor_labels", true);
		assertThat(targets(node)).containsExactly("node-exporter:9100");
		assertThat(config.get("rule_files")).isEqualTo(List.of("rules/*.yml"));
		assertThat(PROMETHEUS_CONFIG.resolveSibling("rules")).isDirectoryContaining("glob:**.yml");
		assertThat(alertmanagerTargets(config)).containsExactly("alertmanager:9093");
		assertThat(Promtool.checkConfig(PROMETHEUS_CONFIG).isSuccess()).isTrue();
	}

	@Test
	@SuppressWarnings("unchecked")
	void composeMountsThatPrometheusConfigurationAndWiresTheServicesItNames() {
		Map<String, Object> compose = yaml(DEPLOY.resolve("docker-compose.yml")).get(0);
		Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
		assertThat(services).containsKeys("prometheus", "pushgateway", "pushgateway-2", "node-exporter", "alertmanager",
				"grafana", "gdpr-erasure-job");

		Map<String, Object> prometheus = services.get("prometheus");
		assertThat((List<String>) prometheus.get("command")).contains("--config.file=/etc/prometheus/prometheus.yml");
		assertThat(hostPath(prometheus, "/etc/prometheus/").resolve("prometheus.yml"))
			.isEqualTo(PROMETHEUS_CONFIG);
		assertThat(hostPath(services.get("alertmanager"), "/etc/alertmanager/alertmanager.yml")).isRegularFile();
		assertThat(hostPath(services.get("grafana"), "/etc/grafana/provisioning")).isDirectory();
		assertThat(hostPath(services.get("grafana"), "/var/lib/grafana/dashboards")).isDirectoryContaining("glob:**.json");

		Map<String, Object> config = Yaml.read(PROMETHEUS_CONFIG);
		List<String> gatewayTargets = targets(scrapeJob(config, "pushgateway"));
		assertThat(gatewayTargets).allSatisfy((target) -> assertThat(target)
			.isEqualTo(serviceName(target) + ":" + publishedPort(services.get(serviceName(target)))));
		String nodeTarget = targets(scrapeJob(config, "node")).get(0);
		assertThat(nodeTarget).isEqualTo("node-exporter:" + publishedPort(services.get("node-exporter")));
		assertThat((List<String>) services.get("node-exporter").get("command"))
			.contains("--collector.textfile", "--collector.textfile.directory=/textfile");
		assertThat(alertmanagerTargets(config)).containsExactly("alertmanager:" + publishedPort(services.get("alertmanager")));

		Map<String, Object> job = services.get("gdpr-erasure-job");
		Map<String, Object> environment = (Map<String, Object>) job.get("environment");
		// The job pushes to every gateway Prometheus scrapes.
		assertThat(environment).containsEntry("BATCH_PUSHGATEWAY_ADDRESSES", String.join(",", gatewayTargets))
			.doesNotContainKey("BATCH_PUSHGATEWAY_ADDRESS")
			.containsKey(keyVariable);
		Map<String, Object> build = (Map<String, Object>) job.get("build");
		assertThat(DEPLOY.resolve((String) build.get("context")).resolve((String) build.get("dockerfile")).normalize())
			.isEqualTo(REPOSITORY.resolve("example-gdpr-job/Dockerfile"));
	}

	@Test
	@SuppressWarnings("unchecked")
	void kubernetesCronJobRunsOneAtATimeWithTheKeyFromASecretAndTheGatewayFromAConfigMap() {
		List<Map<String, Object>> manifests = kubernetesManifests();
		assertThat(at(manifest(manifests, "CronJob", "gdpr-erasure-job"), "spec"))
			.containsEntry("concurrencyPolicy", "Forbid");
		Map<String, Object> pod = cronJobPod(manifests);
		Map<String, Object> container = cronJobContainer();
		Map<String, Map<String, Object>> environment = new LinkedHashMap<>();
		for (Map<String, Object> variable : (List<Map<String, Object>>) container.get("env")) {
			environment.put((String) variable.get("name"), (Map<String, Object>) variable.get("valueFrom"));
		}
		assertThat(environment.get(keyVariable)).containsOnlyKeys("secretKeyRef");
		assertThat(at(environment.get(keyVariable), "secretKeyRef")).containsEntry("key",
				keyVariable);
		Map<String, Object> addressReference = at(environment.get("BATCH_PUSHGATEWAY_ADDRESS"), "configMapKeyRef");
		Map<String, Object> configMap = manifest(manifests, "ConfigMap", (String) addressReference.get("name"));
		String address = (String) at(configMap, "data").get(addressReference.get("key"));
		String gatewayTarget = targets(scrapeJob(Yaml.read(PROMETHEUS_CONFIG),
				"pushgateway"))
			.get(0);
		assertThat(address).isEqualTo(gatewayTarget);
		Map<String, Object> service = manifest(manifests, "Service", address.substring(0, address.indexOf(':')));
		assertThat((List<Map<String, Object>>) at(service, "spec").get("ports"))
			.anySatisfy((port) -> assertThat(port.get("port").toString()).isEqualTo(address.substring(address.indexOf(':') + 1)));
		String claim = (String) at(((List<Map<String, Object>>) pod.get("volumes")).get(0), "persistentVolumeClaim")
			.get("claimName");
		assertThat(manifest(manifests, "PersistentVolumeClaim", claim)).isNotEmpty();
		Map<String, Object> compose = yaml(DEPLOY.resolve("docker-compose.yml")).get(0);
		assertThat(container.get("image"))
			.isEqualTo(((Map<String, Map<String, Object>>) compose.get("services")).get("gdpr-erasure-job").get("image"));
	}

	@Test
	@SuppressWarnings("unchecked")
	void theExampleRunsEverywhereWithTheJvmOptionsOfOneFileSizedForTheCronJobsLimitAndH2sCache() throws IOException {
		// One argument file: the image's entry point reads it, and so the CronJob and Compose, which
		// run the image and set no JVM options of their own; the scripts read it in place.
		Path optionsFile = REPOSITORY.resolve("example-gdpr-job/jvm.options");
		String dockerfile = Files.readString(REPOSITORY.resolve("example-gdpr-job/Dockerfile"));
		assertThat(dockerfile).contains("COPY example-gdpr-job/jvm.options /app/jvm.options")
			.contains("ENTRYPOINT [\"java\", \"@/app/jvm.options\", \"-jar\"");
		for (String script : List.of("scripts/demo", "scripts/benchmark-gdpr")) {
			assertThat(Files.readString(REPOSITORY.resolve(script))).as(script).contains("@$ROOT/example-gdpr-job/jvm.options");
		}
		Map<String, Object> job = ((Map<String, Map<String, Object>>) yaml(DEPLOY.resolve("docker-compose.yml")).get(0)
			.get("services")).get("gdpr-erasure-job");
		Map<String, Object> container = cronJobContainer();
		// Compose's entrypoint and a Pod's command replace the image's entry point (its options).
		assertThat(job).doesNotContainKey("entrypoint");
		assertThat(container).doesNotContainKey("command");
		assertThat(String.valueOf(job.get("environment"))).doesNotContain(JVM_OPTION_VARIABLES);
		assertThat(String.valueOf(container.get("env"))).doesNotContain(JVM_OPTION_VARIABLES);

		// The heap the options give holds H2's page cache, and the process fits the container.
		List<String> options = new ArrayList<>();
		for (String line : Files.readAllLines(optionsFile)) {
			options.addAll(List.of(line.replaceFirst("#.*", "").trim().split("\\s+")));
		}
		long heap = bytes(option(options, "-Xmx"));
		long young = bytes(option(options, "-Xmn"));
		assertThat(option(options, "-Xms")).isEqualTo(option(options, "-Xmx"));
		Matcher cacheSize = Pattern.compile(";CACHE_SIZE=(\\d+)")
			.matcher((String) at(yaml(example.applicationYaml()).get(0), "spring", "datasource").get("url"));
		assertThat(cacheSize.find()).as("CACHE_SIZE in the H2 URL of application.yml").isTrue();
		long cache = Long.parseLong(cacheSize.group(1)) * 1024;
		assertThat(cache).as("H2's page cache against the old generation (heap less young generation)")
			.isLessThanOrEqualTo((heap - young) / 2);
		String limit = (String) at(container, "resources", "limits").get("memory");
		assertThat(limit).endsWith("Mi");
		long limitBytes = bytes(limit.replace("Mi", "m"));
		assertThat(limitBytes).as("the CronJob's memory limit against the heap and the memory the process uses beside it")
			.isGreaterThanOrEqualTo(heap + BESIDE_THE_HEAP);
		assertThat(bytes((String) job.get("mem_limit"))).as("Compose's memory limit").isEqualTo(limitBytes);
	}

	@Test
	void everyPropertyTheApplicationAndTheDeployFilesSetExists() throws IOException {
		List<String> unknown = new ArrayList<>();
		Path applicationYaml = example.applicationYaml();
		for (String key : flatten(yaml(applicationYaml).get(0))) {
			if (!metadata.binds(key)) {
				unknown.add("the example's application.yml: " + key);
			}
		}
		String placeholders = Files.readString(applicationYaml);
		List<Path> files = new ArrayList<>(List.of(DEPLOY.resolve("docker-compose.yml"),
				REPOSITORY.resolve("example-gdpr-job/Dockerfile")));
		try (Stream<Path> kubernetes = Files.list(DEPLOY.resolve("kubernetes"))) {
			kubernetes.filter((file) -> file.toString().endsWith(".yaml")).forEach(files::add);
		}
		int checked = 0;
		for (Path file : files) {
			for (String token : Files.readString(file).split("[\\s'\"\\[\\],]+")) {
				Matcher argument = ARGUMENT.matcher(token);
				if (argument.matches() && PROMETHEUS_FLAGS.stream().noneMatch(token::startsWith)) {
					checked++;
					if (!metadata.binds(argument.group(1))) {
						unknown.add(file.getFileName() + ": argument " + token);
					}
				}
			}
			for (String variable : variables(file)) {
				checked++;
				if (!metadata.bindsVariable(variable) && !placeholders.contains("${" + variable)) {
					unknown.add(file.getFileName() + ": environment variable " + variable);
				}
			}
		}
		assertThat(checked).as("arguments and variables found in the deploy files").isGreaterThanOrEqualTo(6);
		assertThat(unknown).isEmpty();
		assertThat(metadata.binds("batch.pushgateway.adress")).as("a typo is caught").isFalse();
	}

	private static String option(List<String> options, String prefix) {
		List<String> values = options.stream().filter((option) -> option.startsWith(prefix)).toList();
		assertThat(values).as("options starting with " + prefix + " in example-gdpr-job/jvm.options").hasSize(1);
		return values.get(0).substring(prefix.length());
	}

	private static long bytes(String size) {
		Matcher matcher = Pattern.compile("(\\d+)([kmg])", Pattern.CASE_INSENSITIVE).matcher(size);
		assertThat(matcher.matches()).as(size).isTrue();
		return Long.parseLong(matcher.group(1)) << switch (Character.toLowerCase(matcher.group(2).charAt(0))) {
			case 'k' -> 10;
			case 'm' -> 20;
			default -> 30;
		};
	}

	private static List<String> variables(Path file) throws IOException {
		List<String> variables = new ArrayList<>();
		Matcher matcher = Pattern.compile("(?m)^\\s*(?:- name:\\s*)?((?:BATCH_PUSHGATEWAY|GDPR|DEMO)_[A-Z0-9_]+)\\s*:?")
			.matcher(Files.readString(file));
		while (matcher.find()) {
			variables.add(matcher.group(1));
		}
		return variables;
	}

	@SuppressWarnings("unchecked")
	private static List<String> flatten(Map<String, Object> yaml) {
		List<String> keys = new ArrayList<>();
		yaml.forEach((key, value) -> {
			if (value instanceof Map<?, ?> nested) {
				flatten((Map<String, Object>) nested).forEach((child) -> keys.add(key + "." + child));
			}
			else {
				keys.add(key);
			}
		});
		return keys;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> scrapeJob(Map<String, Object> config, String name) {
		return ((List<Map<String, Object>>) config.get("scrape_configs")).stream()
			.filter((job) -> name.equals(job.get("job_name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No scrape job " + name));
	}

	@SuppressWarnings("unchecked")
	private static List<String> targets(Map<String, Object> scrapeJob) {
		return ((List<Map<String, Object>>) scrapeJob.get("static_configs")).stream()
			.flatMap((staticConfig) -> ((List<String>) staticConfig.get("targets")).stream())
			.toList();
	}

	@SuppressWarnings("unchecked")
	private static List<String> alertmanagerTargets(Map<String, Object> config) {
		List<Map<String, Object>> alertmanagers = (List<Map<String, Object>>) at(config, "alerting").get("alertmanagers");
		return targets(alertmanagers.get(0));
	}

	@SuppressWarnings("unchecked")
	private static Path hostPath(Map<String, Object> service, String containerPath) {
		for (String volume : (List<String>) service.get("volumes")) {
			String[] parts = volume.split(":");
			if (parts[1].equals(containerPath)) {
				return DEPLOY.resolve(parts[0]).normalize();
			}
		}
		throw new AssertionError("No volume mounted at " + containerPath + " in " + service);
	}

	private static String serviceName(String target) {
		return target.substring(0, target.indexOf(':'));
	}

	@SuppressWarnings("unchecked")
	private static String publishedPort(Map<String, Object> service) {
		String mapping = ((List<String>) service.get("ports")).get(0);
		return mapping.substring(mapping.lastIndexOf(':') + 1);
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> kubernetesManifests() {
		List<Map<String, Object>> manifests = new ArrayList<>();
		for (String resource : (List<String>) yaml(DEPLOY.resolve("kubernetes/kustomization.yaml")).get(0)
			.get("resources")) {
			manifests.addAll(yaml(DEPLOY.resolve("kubernetes").resolve(resource)));
		}
		return manifests;
	}

	private static Map<String, Object> cronJobPod(List<Map<String, Object>> manifests) {
		return at(manifest(manifests, "CronJob", "gdpr-erasure-job"), "spec", "jobTemplate", "spec", "template", "spec");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> cronJobContainer() {
		return ((List<Map<String, Object>>) cronJobPod(kubernetesManifests()).get("containers")).get(0);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> manifest(List<Map<String, Object>> manifests, String kind, String name) {
		return manifests.stream()
			.filter((manifest) -> kind.equals(manifest.get("kind"))
					&& name.equals(((Map<String, Object>) manifest.get("metadata")).get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No " + kind + " named " + name));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> at(Map<String, Object> map, String... path) {
		Map<String, Object> current = map;
		for (String key : path) {
			current = (Map<String, Object>) current.get(key);
			assertThat(current).as(String.join(".", path)).isNotNull();
		}
		return current;
	}

	private static List<Map<String, Object>> yaml(Path file) {
		try {
			List<Map<String, Object>> documents = new ArrayList<>();
			for (Object document : new org.yaml.snakeyaml.Yaml(new SafeConstructor(new LoaderOptions()))
				.loadAll(Files.readString(file))) {
				@SuppressWarnings("unchecked")
				Map<String, Object> map = (Map<String, Object>) document;
				documents.add(map);
			}
			return documents;
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
