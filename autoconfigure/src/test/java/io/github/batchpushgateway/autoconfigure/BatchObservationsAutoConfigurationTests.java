package io.github.batchpushgateway.autoconfigure;

import java.time.LocalDateTime;

import io.github.batchpushgateway.batch.PushPipeline;
import io.github.batchpushgateway.micrometer.BatchMeters;
import io.github.batchpushgateway.micrometer.BatchObservationRegistrar;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BatchObservationsAutoConfiguration}.
 */
class BatchObservationsAutoConfigurationTests {

	private static final String ENABLED = "batch.pushgateway.observations.enabled=true";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BatchPushgatewayAutoConfiguration.class,
				BatchMetersAutoConfiguration.class, BatchObservationsAutoConfiguration.class));

	@Test
	void observationsAreNotPushedUnlessEnabled() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(BatchMeters.class)
			.doesNotHaveBean(BatchObservationRegistrar.class)
			.doesNotHaveBean(ObservationRegistry.class));
	}

	@Test
	void anApplicationWithoutObservationRegistryGetsOneThatRecordsIntoBatchMeters() {
		this.contextRunner.withPropertyValues(ENABLED).run((context) -> {
			assertThat(context).hasSingleBean(BatchObservationRegistrar.class).hasSingleBean(ObservationRegistry.class);
			assertItemReadIsRecorded(context, context.getBean(ObservationRegistry.class));
		});
	}

	@Test
	void theApplicationsObservationRegistryIsUsedAndGetsTheHandler() {
		ObservationRegistry own = ObservationRegistry.create();
		this.contextRunner.withPropertyValues(ENABLED).withBean(ObservationRegistry.class, () -> own).run((context) -> {
			assertThat(context).getBean(ObservationRegistry.class).isSameAs(own);
			assertItemReadIsRecorded(context, own);
		});
	}

	@Test
	void nothingWhenTheStarterIsDisabled() {
		this.contextRunner.withPropertyValues(ENABLED, "batch.pushgateway.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(BatchObservationRegistrar.class)
				.doesNotHaveBean(ObservationRegistry.class));
	}

	@Test
	void backsOffWithoutMicrometerRegistryPrometheus() {
		this.contextRunner.withPropertyValues(ENABLED)
			.withClassLoader(new FilteredClassLoader(PrometheusMeterRegistry.class))
			.run((context) -> assertThat(context).doesNotHaveBean(BatchObservationRegistrar.class)
				.doesNotHaveBean(ObservationRegistry.class));
	}

	private static void assertItemReadIsRecorded(AssertableApplicationContext context, ObservationRegistry registry) {
		JobExecution execution = new JobExecution(1L, new JobInstance(1L, "importJob"), new JobParameters());
		execution.setStartTime(LocalDateTime.now());
		execution.setStatus(BatchStatus.STARTED);
		context.getBean(PushPipeline.class).recorder().jobStarted(execution);
		StepSynchronizationManager.register(new StepExecution(1L, "importStep", execution));
		try {
			Observation.start("spring.batch.item.read", registry).stop();
		}
		finally {
			StepSynchronizationManager.release();
		}
		assertThat(context.getBean(BatchMeters.class).contribute(execution))
			.anySatisfy((metric) -> assertThat(metric.getMetadata().getPrometheusName())
				.isEqualTo("batch_item_read_seconds"));
	}

}
