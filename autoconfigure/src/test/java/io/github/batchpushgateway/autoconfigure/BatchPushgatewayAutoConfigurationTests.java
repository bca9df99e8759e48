package io.github.batchpushgateway.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.batchpushgateway.batch.BatchPushListenerRegistrar;
import io.github.batchpushgateway.batch.PushPipeline;
import io.github.batchpushgateway.metrics.JobMetricsContributor;
import io.github.batchpushgateway.metrics.JobMetricsSnapshotFactory;
import io.github.batchpushgateway.push.MicrometerPushListener;
import io.github.batchpushgateway.push.PushClient;
import io.github.batchpushgateway.push.PushGroup;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link BatchPushgatewayAutoConfiguration}.
 */
class BatchPushgatewayAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BatchPushgatewayAutoConfiguration.class));

	@Test
	void defaultsWireEveryPartWithDocumentedValues() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(BatchPushListenerRegistrar.class)
				.hasSingleBean(BatchPushTargets.class)
				.hasSingleBean(PushPipeline.class)
				.hasSingleBean(JobMetricsSnapshotFactory.class)
				.hasSingleBean(MicrometerPushListener.class);
			BatchPushgatewayProperties properties = context.getBean(BatchPushgatewayProperties.class);
			assertThat(properties.gatewayAddresses()).containsExactly("localhost:9091");
			assertThat(properties.getScheme()).isEqualTo(BatchPushgatewayProperties.Scheme.HTTP);
			assertThat(properties.getFormat()).isEqualTo(BatchPushgatewayProperties.Format.TEXT);
			assertThat(properties.getProgressInterval()).isEqualTo(Duration.ofSeconds(10));
			assertThat(properties.getMinPushInterval()).isEqualTo(Duration.ofMillis(100));
			assertThat(properties.getFlushTimeout()).isEqualTo(Duration.ofSeconds(10));
			assertThat(properties.getJobs().getInclude()).containsExactly("*");
		});
	}

	@Test
	void backsOffWithoutSpringBatch() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(AbstractJob.class))
			.run((context) -> assertThat(context).doesNotHaveBean(PushPipeline.class)
				.doesNotHaveBean(BatchPushListenerRegistrar.class));
	}

	@Test
	void backsOffWithoutThePrometheusExpositionFormats() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(PrometheusProtobufWriter.class))
			.run((context) -> assertThat(context).doesNotHaveBean(PushPipeline.class)
				.doesNotHaveBean(BatchPushListenerRegistrar.class));
	}

	@Test
	void isDisabledByProperty() {
		this.contextRunner.withPropertyValues("batch.pushgateway.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(PushPipeline.class)
				.doesNotHaveBean(BatchPushListenerRegistrar.class)
				.doesNotHaveBean(BatchPushTargets.class));
	}

	@Test
	void userDefinedPushClientsReplaceTheConfiguredTargets() {
		this.contextRunner.withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context).hasSingleBean(PushClient.class);
			assertThat(context.getBean(BatchPushTargets.class).clients()).containsExactly(UserBeans.CLIENT);
		});
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', value = { "address|http://gateway:9091", "address|gateway", "address|gateway:0",
			"address|gateway:99999", "address|:9091", "address|gateway:91/metrics", "progress-interval|0s",
			"progress-interval|-1s", "connect-timeout|0ms", "read-timeout|-5s", "flush-timeout|-1s",
			"retry.max-retries|-1", "retry.delay|0s", "retry.multiplier|0.5", "retry.redelivery-interval|0s",
			"history-scan-limit|-1", "jobs.expected-interval|0s", "grouping-key.job|other",
			"grouping-key.bad-name|x", "grouping-parameters|job", "grouping-key.status|prod", "grouping-key.step|x",
			"grouping-key.pushgateway|a", "grouping-parameters|exit_code", "grouping-parameters|le",
			"retry.redelivery-interval|500us", "read-timeout|30d", "addresses|gateway:0", "min-push-interval|-1ms",
			"min-push-interval|11s", "jobs.max-duration|-1s", "jobs.overrides.importJob.max-duration|-1h",
			"jobs.schedule|30 2 * * *", "jobs.overrides.importJob.schedule|0 0 25 * * *", "jobs.grace-period|-1m",
			"jobs.overrides.importJob.grace-period|-1s", "jobs.min-items|-1", "jobs.overrides.importJob.min-items|-1",
			"jobs.overrides.importJob.step-min-items.load|-5",
			"refill-check-interval|-1s", "refill-check-interval|500us" })
	void failsFastNamingTheInvalidProperty(String property, String value) {
		this.contextRunner.withPropertyValues("batch.pushgateway." + property + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("batch.pushgateway." + property);
		});
	}

	@Test
	void failsFastNamingAScheduleTimeZoneThatDoesNotExist() {
		this.contextRunner.withPropertyValues("batch.pushgateway.jobs.time-zone=Mars/Olympus_Mons").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("batch.pushgateway.jobs.time-zone");
		});
	}

	@Test
	void aMaximumDurationOfZeroSwitchesTheDefaultOffInsteadOfFailing() {
		this.contextRunner
			.withPropertyValues("batch.pushgateway.jobs.max-duration=0",
					"batch.pushgateway.jobs.overrides.importJob.max-duration=0s")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void failsFastWithBothBearerAndBasicAuthentication() {
		this.contextRunner
			.withPropertyValues("batch.pushgateway.token=t0ken", "batch.pushgateway.username=user",
					"batch.pushgateway.password=secret")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(MutuallyExclusiveConfigurationPropertiesException.class)
					.hasMessageContaining("batch.pushgateway.token")
					.hasMessageContaining("batch.pushgateway.username");
			});
	}

	@Test
	void failsFastWithUsernameButNoPasswordWithoutEchoingSecrets() {
		this.contextRunner.withPropertyValues("batch.pushgateway.username=user").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("batch.pushgateway.password");
		});
		this.contextRunner.withPropertyValues("batch.pushgateway.password=s3cr3t-value").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("batch.pushgateway.username")
				.hasMessageNotContaining("s3cr3t-value");
		});
	}

	@Test
	void failsFastOnCredentialsInTheAddressWithoutEchoingThem() {
		this.contextRunner.withPropertyValues("batch.pushgateway.address=user:s3cr3t@gateway:9091").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("batch.pushgateway.address")
				.hasMessageNotContaining("s3cr3t");
		});
	}

	@Test
	void pushPipelineIsCreatedEvenWithLazyInitialization() {
		this.contextRunner.withBean(LazyInitializationBeanFactoryPostProcessor.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBeanFactory().containsSingleton("batchPushPipeline")).isTrue();
		});
	}

	@Test
	void theSelfMonitoringListenerIsBuiltAtTheFirstJobEventNotAtStartup() {
		this.contextRunner.run((context) -> {
			assertThat(context.getBeanFactory().containsSingleton("batchMicrometerPushListener")).isFalse();

			context.getBean(PushPipeline.class).recorder();

			assertThat(context.getBeanFactory().containsSingleton("batchMicrometerPushListener")).isTrue();
		});
	}

	@Test
	void failsAtStartupNotAtTheFirstJobOnAnSslBundleThatDoesNotExist() {
		this.contextRunner
			.withPropertyValues("batch.pushgateway.scheme=https", "batch.pushgateway.ssl.bundle=missing")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void failsFastOnAnUnknownFormatNamingTheProperty() {
		this.contextRunner.withPropertyValues("batch.pushgateway.format=json").run((context) -> {
			assertThat(context).hasFailed();
			// Boot's binder names the property in the cause, and its failure analyzer shows it.
			assertThat(context.getStartupFailure()).hasStackTraceContaining("Failed to bind properties under 'batch.pushgateway.format'");
		});
	}

	@Test
	void failsFastOnAnSslBundleWithPlainHttp() {
		this.contextRunner.withPropertyValues("batch.pushgateway.ssl.bundle=gateway").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("batch.pushgateway.ssl.bundle");
		});
	}

	@Test
	void acceptsAnIpv6AddressAndTextFormat() {
		this.contextRunner.withPropertyValues("batch.pushgateway.address=[::1]:9091", "batch.pushgateway.format=text")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(BatchPushTargets.class));
	}

	@Test
	void severalAddressesAndATextfileDirectoryAreOneTargetEach(@org.junit.jupiter.api.io.TempDir java.nio.file.Path directory) {
		this.contextRunner
			.withPropertyValues("batch.pushgateway.addresses=a:9091,b:9091",
					"batch.pushgateway.textfile.directory=" + directory)
			.run((context) -> assertThat(context.getBean(BatchPushTargets.class).clients())
				.extracting(PushClient::describe)
				.containsExactly("http://a:9091", "http://b:9091", "textfile:" + directory));
	}

	@Test
	void aTextfileDirectoryAloneIsTheOnlyTarget(@org.junit.jupiter.api.io.TempDir java.nio.file.Path directory) {
		this.contextRunner.withPropertyValues("batch.pushgateway.textfile.directory=" + directory)
			.run((context) -> assertThat(context.getBean(BatchPushTargets.class).clients())
				.extracting(PushClient::describe)
				.containsExactly("textfile:" + directory));
	}

	@Test
	void withoutAnyTargetTheGatewayOnThisMachineIsTheTarget() {
		this.contextRunner.run((context) -> assertThat(context.getBean(BatchPushTargets.class).clients())
			.extracting(PushClient::describe)
			.containsExactly("http://localhost:9091"));
	}

	@Test
	void failsFastOnAddressAndAddressesTogether() {
		this.contextRunner.withPropertyValues("batch.pushgateway.address=a:9091", "batch.pushgateway.addresses=b:9091")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("batch.pushgateway.address")
					.hasMessageContaining("batch.pushgateway.addresses");
			});
	}

	@Test
	void failsFastOnAMissingTextfileDirectoryNamingTheProperty(
			@org.junit.jupiter.api.io.TempDir java.nio.file.Path directory) {
		this.contextRunner
			.withPropertyValues("batch.pushgateway.textfile.directory=" + directory.resolve("missing"))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("batch.pushgateway.textfile.directory");
			});
	}

	@Test
	void contributorsAreLookedUpOnceNotAtEveryPush() {
		// A prototype bean is created at each lookup: its count is the number of lookups.
		this.contextRunner.withUserConfiguration(CountedLookups.class).run((context) -> {
			JobMetricsSnapshotFactory snapshots = context.getBean(JobMetricsSnapshotFactory.class);
			JobExecution execution = mock(JobExecution.class);
			AtomicInteger lookups = context.getBean(CountedLookups.class).contributors;
			snapshots.executionEnded(execution);
			int afterFirstPush = lookups.get();

			snapshots.executionEnded(execution);
			snapshots.executionEnded(execution);

			assertThat(lookups).hasValue(afterFirstPush);
		});
	}

	@Test
	void theApplicationsMeterRegistryIsLookedUpOnceNotAtEveryPush() {
		this.contextRunner.withUserConfiguration(CountedLookups.class).run((context) -> {
			MicrometerPushListener listener = context.getBean(MicrometerPushListener.class);
			CountedLookups lookups = context.getBean(CountedLookups.class);
			listener.pushSucceeded(PushGroup.of("job"), Duration.ofMillis(1));
			int afterFirstPush = lookups.registries.get();

			listener.pushSucceeded(PushGroup.of("job"), Duration.ofMillis(1));

			assertThat(lookups.registries).hasValue(afterFirstPush);
			assertThat(lookups.registry.get("batch.pushgateway.pushes").counter().count()).isEqualTo(2);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class CountedLookups {

		final AtomicInteger contributors = new AtomicInteger();

		final AtomicInteger registries = new AtomicInteger();

		@Nullable MeterRegistry registry;

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		JobMetricsContributor countedContributor() {
			this.contributors.incrementAndGet();
			return (execution) -> List.of();
		}

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		MeterRegistry countedRegistry() {
			this.registries.incrementAndGet();
			this.registry = new SimpleMeterRegistry();
			return this.registry;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		static final PushClient CLIENT = (group, metrics) -> {
		};

		@Bean
		PushClient userPushClient() {
			return CLIENT;
		}

	}

}
