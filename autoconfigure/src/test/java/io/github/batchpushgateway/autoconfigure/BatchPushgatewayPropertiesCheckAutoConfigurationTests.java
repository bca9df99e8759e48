package io.github.batchpushgateway.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.batchpushgateway.batch.PushPipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BatchPushgatewayPropertiesCheckAutoConfiguration} and
 * {@link BatchPushgatewayPropertiesCheck}.
 */
@ExtendWith(OutputCaptureExtension.class)
class BatchPushgatewayPropertiesCheckAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BatchPushgatewayPropertiesCheckAutoConfiguration.class,
				BatchPushgatewayAutoConfiguration.class));

	@Test
	void enabledThatIsNotABooleanFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("batch.pushgateway.enabled=flase").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).isInstanceOf(BindException.class)
				.hasMessageContaining("batch.pushgateway.enabled");
		});
	}

	@Test
	void enabledFalseStillSwitchesTheStarterOff() {
		this.contextRunner.withPropertyValues("batch.pushgateway.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(PushPipeline.class));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			progress-interval            | ten seconds
			connect-timeout              | 2 secs
			flush-timeout                | soon
			history-scan-limit           | many
			retry.max-retries            | three
			retry.multiplier             | double
			retry.delay                  | 1 minute
			format                       | json
			scheme                       | ftp
			jobs.expected-interval       | daily
			jobs.overrides.x.expected-interval | weekly
			""")
	void valueThatDoesNotConvertFailsStartupNamingTheProperty(String property, String value) {
		this.contextRunner.withPropertyValues("batch.pushgateway." + property + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("batch.pushgateway." + property);
		});
	}

	@Test
	void unknownKeyIsNamedInAWarnWithTheNearestKnownKey(CapturedOutput output) {
		this.contextRunner.withPropertyValues("batch.pushgateway.adress=gateway:9091").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).contains("WARN")
				.contains("Unknown configuration property 'batch.pushgateway.adress'")
				.contains("did you mean 'batch.pushgateway.address'?")
				.doesNotContain("gateway:9091");
		});
	}

	@Test
	void unknownKeyIsNamedEvenWhenTheStarterIsDisabled(CapturedOutput output) {
		this.contextRunner.withPropertyValues("batch.pushgateway.enabled=false", "batch.pushgateway.retry.max-retrys=2")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains("'batch.pushgateway.retry.max-retrys'")
					.contains("did you mean 'batch.pushgateway.retry.max-retries'?");
			});
	}

	@Test
	void knownKeysInEveryFormGiveNoWarning() {
		assertThat(unknownProperties(Map.of("batch.pushgateway.address", "g:9091",
				"batch.pushgateway.retry.maxRetries", "2", "batch.pushgateway.retry.max_delay", "1s",
				"batch.pushgateway.grouping-key.env", "prod", "batch.pushgateway.groupingKey.region", "eu",
				"batch.pushgateway.jobs.include[0]", "a*", "batch.pushgateway.jobs.overrides.nightly.expected-interval",
				"1d", "batch.pushgateway.jobs.overrides[my.job].expectedInterval", "1d",
				"batch.pushgateway.ssl.bundle", "b", "batch.pushgateway.test.push", "true")))
			.isEmpty();
		assertThat(unknownProperties(Map.of("batch.pushgateway.observations.enabled", "true"))).isEmpty();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			batch.pushgateway.adress                               | batch.pushgateway.address
			batch.pushgateway.retry.max-retrys                     | batch.pushgateway.retry.max-retries
			batch.pushgateway.retry.maxRetrys                      | batch.pushgateway.retry.max-retries
			batch.pushgateway.progress-intervall                   | batch.pushgateway.progress-interval
			batch.pushgateway.jobs.overides.nightly.expected-interval | batch.pushgateway.jobs.overrides.nightly.expected-interval
			batch.pushgateway.jobs.overrides.nightly.expected-intervall | batch.pushgateway.jobs.overrides.nightly.expected-interval
			batch.pushgateway.jobs.overrides.nightly.expected      | batch.pushgateway.jobs.overrides.nightly.expected-interval
			batch.pushgateway.grouping-keys.env                    | batch.pushgateway.grouping-key.env
			batch.pushgateway.ssl.bundel                           | batch.pushgateway.ssl.bundle
			batch.pushgateway.address.port                         | batch.pushgateway.address
			batch.pushgateway.observation.enabled                  | batch.pushgateway.observations.enabled
			""")
	void unknownKeyIsNamedWithTheNearestKnownKey(String unknown, String nearest) {
		assertThat(unknownProperties(Map.of(unknown, "x"))).singleElement()
			.asString()
			.contains(unknown)
			.endsWith("did you mean '" + nearest + "'?");
	}

	@Test
	void unknownKeyFromAnEnvironmentVariableIsNamedWithTheVariable() {
		StandardEnvironment environment = new StandardEnvironment();
		Map<String, Object> variables = new LinkedHashMap<>();
		variables.put("BATCH_PUSHGATEWAY_ADRESS", "gateway:9091");
		variables.put("BATCH_PUSHGATEWAY_RETRY_MAX_RETRIES", "2");
		variables.put("BATCH_PUSHGATEWAY_RETRY_MAXDELAY", "2s");
		variables.put("BATCH_PUSHGATEWAY_GROUPINGKEY_ENV", "prod");
		variables.put("BATCH_PUSHGATEWAY_JOBS_OVERRIDES_NIGHTLY_EXPECTEDINTERVAL", "1d");
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
		assertThat(new BatchPushgatewayPropertiesCheck(environment).unknownProperties()).singleElement()
			.asString()
			.contains("'batch.pushgateway.adress'")
			.contains("BATCH_PUSHGATEWAY_ADRESS")
			.endsWith("did you mean 'batch.pushgateway.address'?");
	}

	@Test
	void keyMisspeltInTwoSourcesIsNamedOnce() {
		MockEnvironment environment = new MockEnvironment().withProperty("batch.pushgateway.adress", "a:1");
		environment.getPropertySources()
			.addLast(new MapPropertySource("other", Map.of("batch.pushgateway.adress", "b:2")));
		assertThat(new BatchPushgatewayPropertiesCheck(environment).unknownProperties()).hasSize(1);
	}

	@Test
	void keysOutsideThePrefixAreNotChecked() {
		assertThat(unknownProperties(Map.of("batch.other", "x", "batch.pushgatewayx.a", "y",
				"management.prometheus.metrics.export.pushgateway.adress", "z")))
			.isEmpty();
	}

	private static List<String> unknownProperties(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		return new BatchPushgatewayPropertiesCheck(environment).unknownProperties();
	}

}
