package io.github.batchpushgateway.autoconfigure;

import io.github.batchpushgateway.batch.PushPipeline;
import io.github.batchpushgateway.push.PushClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code batchPushgateway} health contributor, which reports whether
 * job state reaches the targets, when the application has Spring Boot's health support
 * (Actuator). It informs and stays {@code UP} unless
 * {@code batch.pushgateway.health.down-when-undelivered} is set. Switch it off with
 * {@code management.health.batch-pushgateway.enabled=false}.
 */
@AutoConfiguration(after = BatchPushgatewayAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(PushPipeline.class)
@ConditionalOnEnabledHealthIndicator("batch-pushgateway")
public final class BatchPushgatewayHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "batchPushgatewayHealthIndicator")
	BatchPushgatewayHealthIndicator batchPushgatewayHealthIndicator(PushPipeline pipeline, BatchPushTargets targets,
			BatchPushgatewayProperties properties) {
		return new BatchPushgatewayHealthIndicator(pipeline::failingGroupsByTarget,
				targets.clients().stream().map(PushClient::describe).toList(),
				properties.getHealth().isDownWhenUndelivered());
	}

}
