package io.github.batchpushgateway.autoconfigure;

import io.github.batchpushgateway.push.PushClient;
import io.github.batchpushgateway.push.PushGroup;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BatchPushgatewayHealthContributorAutoConfiguration}.
 */
class BatchPushgatewayHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BatchPushgatewayAutoConfiguration.class,
				BatchPushgatewayHealthContributorAutoConfiguration.class));

	@Test
	void registersTheBatchPushgatewayHealthContributorWhichIsUpBeforeAnyPush() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(BatchPushgatewayHealthIndicator.class)
				.hasBean("batchPushgatewayHealthIndicator");
			HealthIndicator indicator = context.getBean(BatchPushgatewayHealthIndicator.class);
			assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
			assertThat(indicator.health().getDetails()).containsEntry("target", "http://localhost:9091");
		});
	}

	@Test
	void twoTargetsOfOneClassAreShownApart() {
		this.contextRunner.withBean("first", PushClient.class, OwnClient::new)
			.withBean("second", PushClient.class, OwnClient::new)
			.run((context) -> {
				String targets = (String) context.getBean(BatchPushgatewayHealthIndicator.class)
					.health()
					.getDetails()
					.get("target");
				assertThat(targets.split(", ")).hasSize(2)
					.doesNotHaveDuplicates()
					.allSatisfy((target) -> assertThat(target).startsWith(OwnClient.class.getName()));
			});
	}

	@Test
	void aHealthIndicatorOfTheApplicationsOwnWithTheSameNameReplacesIt() {
		HealthIndicator own = () -> Health.down().build();
		this.contextRunner.withBean("batchPushgatewayHealthIndicator", HealthIndicator.class, () -> own)
			.run((context) -> assertThat(context).doesNotHaveBean(BatchPushgatewayHealthIndicator.class)
				.getBean("batchPushgatewayHealthIndicator")
				.isSameAs(own));
	}

	@Test
	void backsOffWithoutSpringBootsHealthSupport() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).doesNotHaveBean(BatchPushgatewayHealthIndicator.class));
	}

	@Test
	void backsOffWhenTheStarterIsDisabled() {
		this.contextRunner.withPropertyValues("batch.pushgateway.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(BatchPushgatewayHealthIndicator.class));
	}

	@Test
	void isDisabledLikeSpringBootsOwnHealthIndicators() {
		this.contextRunner.withPropertyValues("management.health.batch-pushgateway.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(BatchPushgatewayHealthIndicator.class));
	}

	static final class OwnClient implements PushClient {

		@Override
		public void push(PushGroup group, MetricSnapshots metrics) {
		}

	}

}
