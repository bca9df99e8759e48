package io.github.batchpushgateway.compatibility;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import io.github.batchpushgateway.autoconfigure.BatchPushgatewayAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.Job;
import org.springframework.boot.SpringBootVersion;
import org.springframework.core.SpringVersion;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The class path this module runs the auto-configuration's tests on is the one the README's
 * compatibility table names: Spring Boot 4.1 with the Spring Framework, Spring Batch, Micrometer
 * and Prometheus client it manages, nothing pinned, and the auto-configuration jar built by the
 * autoconfigure module (not recompiled here) against Boot 4.0's versions.
 */
class SpringBoot41ClassPathTests {

	@Test
	void runsOnSpringBoot41WithItsSpringFrameworkAndSpringBatch() {
		assertThat(SpringBootVersion.getVersion()).startsWith("4.1.");
		assertThat(SpringVersion.getVersion()).startsWith("7.0.");
		assertThat(Job.class.getPackage().getImplementationVersion()).startsWith("6.0.");
	}

	@Test
	void usesThePrometheusClientAndMicrometerThatBoot41Manages() throws IOException {
		assertThat(mavenVersion(PrometheusProtobufWriter.class, "io.prometheus", "prometheus-metrics-exposition-formats"))
			.startsWith("1.7.");
		// Micrometer's jars name their version in the manifest only.
		assertThat(PrometheusMeterRegistry.class.getPackage().getImplementationVersion()).startsWith("1.17.");
		assertThat(MeterRegistry.class.getPackage().getImplementationVersion()).startsWith("1.17.");
	}

	@Test
	void testsTheAutoConfigurationJarTheAutoconfigureModuleBuilt() {
		String location = BatchPushgatewayAutoConfiguration.class.getProtectionDomain()
			.getCodeSource()
			.getLocation()
			.toString();
		assertThat(location).contains("/autoconfigure/target/").endsWith(".jar");
	}

	private static String mavenVersion(Class<?> type, String groupId, String artifactId) throws IOException {
		String path = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
		try (InputStream properties = type.getResourceAsStream(path)) {
			assertThat(properties).as(path).isNotNull();
			Properties loaded = new Properties();
			loaded.load(properties);
			return loaded.getProperty("version");
		}
	}

}
