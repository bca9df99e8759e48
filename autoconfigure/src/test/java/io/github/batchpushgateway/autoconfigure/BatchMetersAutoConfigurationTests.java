package io.github.batchpushgateway.autoconfigure;

import java.time.LocalDateTime;

import io.github.batchpushgateway.batch.PushPipeline;
import io.github.batchpushgateway.metrics.JobMetricsContributor;
import io.github.batchpushgateway.micrometer.BatchMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BatchMetersAutoConfiguration}.
 */
class BatchMetersAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BatchPushgatewayAutoConfiguration.class,
				BatchMetersAutoConfiguration.class));

	@Test
	void batchMetersContributeToEveryGroupOfExecutionsThePipelinePushes() {
		this.contextRunner.run((context) -> {
			BatchMeters meters = context.getBean(BatchMeters.class);
			assertThat(context.getBeanProvider(JobMetricsContributor.class).orderedStream()).containsExactly(meters);
			JobExecution execution = running();
			context.getBean(PushPipeline.class).recorder().jobStarted(execution);
			meters.registry(execution).counter("records.exported").increment(2);
			assertThat(meters.contribute(execution)).hasSize(1);
			JobExecution notStarted = running();
			meters.registry(notStarted).counter("records.exported").increment();
			assertThat(meters.contribute(notStarted)).isEmpty();
		});
	}

	@Test
	void theApplicationsCommonTagsFiltersAndCustomizersApplyToEachExecutionsMeters() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class))
			.withPropertyValues("management.metrics.tags.application=billing")
			.withBean("renameKind", MeterFilter.class, () -> MeterFilter.renameTag("records.exported", "kind", "type"))
			.withBean("regionTag", MeterRegistryCustomizer.class,
					() -> (MeterRegistryCustomizer<MeterRegistry>) (registry) -> registry.config().commonTags("region", "eu"))
			.run((context) -> {
				BatchMeters meters = context.getBean(BatchMeters.class);
				JobExecution execution = running();
				context.getBean(PushPipeline.class).recorder().jobStarted(execution);

				meters.registry(execution).counter("records.exported", "kind", "invoice").increment();

				MetricSnapshot exported = meters.contribute(execution).iterator().next();
				Labels labels = exported.getDataPoints().get(0).getLabels();
				assertThat(labels.get("application")).isEqualTo("billing");
				assertThat(labels.get("region")).isEqualTo("eu");
				assertThat(labels.get("type")).isEqualTo("invoice");
			});
	}

	@Test
	void batchMetersRecordNothingWhenTheStarterIsDisabledSoJobCodeStillStarts() {
		this.contextRunner.withPropertyValues("batch.pushgateway.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(PushPipeline.class).hasSingleBean(BatchMeters.class);
			BatchMeters meters = context.getBean(BatchMeters.class);
			JobExecution execution = running();
			MeterRegistry registry = meters.registry(execution);
			registry.counter("records.exported").increment();
			assertThat(meters.contribute(execution)).isEmpty();
		});
	}

	@Test
	void backsOffWithoutMicrometerRegistryPrometheus() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(PrometheusMeterRegistry.class))
			.run((context) -> assertThat(context).hasSingleBean(PushPipeline.class).doesNotHaveBean(BatchMeters.class));
	}

	private static JobExecution running() {
		JobExecution execution = new JobExecution(1L, new JobInstance(1L, "importJob"), new JobParameters());
		execution.setStartTime(LocalDateTime.now());
		execution.setStatus(BatchStatus.STARTED);
		return execution;
	}

}
