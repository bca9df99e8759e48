package io.github.batchpushgateway.autoconfigure;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BatchPushgatewayProperties}: per-job overrides as Spring Boot binds them.
 */
class BatchPushgatewayPropertiesTests {

	@Test
	void anOverrideGivenThroughAnEnvironmentVariableReachesItsCamelCaseJob() {
		// Spring Boot binds the map key of an environment variable lower-cased: "importjob"
		BatchPushgatewayProperties properties = bind(new SystemEnvironmentPropertySource("test-systemEnvironment",
				Map.of("BATCH_PUSHGATEWAY_JOBS_OVERRIDES_IMPORTJOB_MAXDURATION", "2h")));

		assertThat(properties.getJobs().getOverrides()).containsOnlyKeys("importjob");
		assertThat(properties.getJobs().overridesOf("importJob").getMaxDuration()).isEqualTo(Duration.ofHours(2));
	}

	@Test
	void anExactNameWinsOverOneThatDiffersInCase() {
		BatchPushgatewayProperties properties = bind(new MapPropertySource("test",
				Map.of("batch.pushgateway.jobs.overrides[importJob].max-duration", "1h",
						"batch.pushgateway.jobs.overrides[importjob].max-duration", "2h")));

		assertThat(properties.getJobs().overridesOf("importJob").getMaxDuration()).isEqualTo(Duration.ofHours(1));
	}

	@Test
	void twoNamesThatDifferFromTheJobsInCaseAloneGiveItNeither() {
		BatchPushgatewayProperties properties = bind(new MapPropertySource("test",
				Map.of("batch.pushgateway.jobs.overrides[importjob].max-duration", "1h",
						"batch.pushgateway.jobs.overrides[IMPORTJOB].max-duration", "2h")));

		assertThat(properties.getJobs().overridesOf("importJob")).isNull();
	}

	@Test
	void aJobWithoutOverridesHasNone() {
		BatchPushgatewayProperties properties = bind(new MapPropertySource("test",
				Map.of("batch.pushgateway.jobs.overrides[exportJob].max-duration", "1h")));

		assertThat(properties.getJobs().overridesOf("importJob")).isNull();
	}

	private static BatchPushgatewayProperties bind(PropertySource<?> source) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(source);
		ConfigurationPropertySources.attach(environment);
		return Binder.get(environment)
			.bind("batch.pushgateway", BatchPushgatewayProperties.class)
			.orElseGet(BatchPushgatewayProperties::new);
	}

}
