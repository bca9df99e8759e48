package io.github.batchpushgateway.autoconfigure;

import io.github.batchpushgateway.batch.JobNameFilter;
import io.github.batchpushgateway.batch.PushPipeline;
import io.github.batchpushgateway.micrometer.BatchMeters;
import io.github.batchpushgateway.micrometer.BatchObservationRegistrar;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.springframework.batch.core.job.AbstractJob;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.function.SingletonSupplier;

/**
 * Auto-configuration that pushes Spring Batch's item read, item process and chunk write
 * observations of each pushed execution in its group, through {@link BatchMeters}
 * ({@code batch.pushgateway.observations.enabled}). Spring Batch observes only through an
 * {@link ObservationRegistry} bean: an application without one (no Actuator) gets one here,
 * which carries nothing but this handler. Runs before Spring Boot's batch observation
 * auto-configuration, which looks for that bean.
 */
@AutoConfiguration(after = BatchMetersAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
		beforeName = "org.springframework.boot.batch.autoconfigure.observation.BatchObservationAutoConfiguration")
@ConditionalOnClass({ AbstractJob.class, PrometheusMeterRegistry.class, ObservationRegistry.class })
@ConditionalOnBooleanProperty("batch.pushgateway.observations.enabled")
@ConditionalOnBean({ PushPipeline.class, BatchMeters.class })
public final class BatchObservationsAutoConfiguration {

	/**
	 * Static, so that it exists before the observation registry and the jobs it attaches to;
	 * the handler looks {@link BatchMeters} up at the first observation, so creating it early
	 * creates nothing else early.
	 */
	@Bean
	static BatchObservationRegistrar batchObservationRegistrar(Environment environment,
			ObjectProvider<BatchMeters> meters, ObjectProvider<ObservationRegistry> registry) {
		JobNameFilter pushedJobs = BatchPushgatewayAutoConfiguration.jobNameFilter(environment);
		return new BatchObservationRegistrar(SingletonSupplier.of(meters::getObject), pushedJobs::matches,
				registry::getIfUnique);
	}

	@Bean
	@ConditionalOnMissingBean
	ObservationRegistry batchObservationRegistry() {
		return ObservationRegistry.create();
	}

}
