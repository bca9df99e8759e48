package io.github.batchpushgateway.autoconfigure;

import io.github.batchpushgateway.batch.PushPipeline;
import io.github.batchpushgateway.micrometer.BatchMeters;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.springframework.batch.core.job.AbstractJob;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of {@link BatchMeters}, the Micrometer meters job code records for its
 * running execution. Present whenever micrometer-registry-prometheus is, also with the starter
 * disabled (then its meters record nothing), so that job code that uses it always starts. The
 * application's meter filters and registry customizers apply to each execution's meters.
 */
@AutoConfiguration(after = BatchPushgatewayAutoConfiguration.class)
@ConditionalOnClass({ AbstractJob.class, PrometheusMeterRegistry.class })
public final class BatchMetersAutoConfiguration {

	@Bean
	BatchMeters batchMeters(ObjectProvider<PushPipeline> pipeline, ListableBeanFactory beans,
			ObjectProvider<MeterFilter> filters) {
		return new BatchMeters((execution) -> {
			PushPipeline pushing = pipeline.getIfUnique();
			return pushing != null && pushing.isTracked(execution);
		}, new ApplicationMeterSettings(beans, filters));
	}

}
