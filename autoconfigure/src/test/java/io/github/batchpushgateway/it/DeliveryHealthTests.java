package io.github.batchpushgateway.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.batchpushgateway.testsupport.PushgatewayServer;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code batchPushgateway} health contributor follows the delivery to a real Pushgateway:
 * {@code UP} with details by default, {@code DOWN} only when opted into.
 */
class DeliveryHealthTests {

	@Test
	void staysUpWithTheUndeliveredGroupWhenTheGatewayIsGoneNeverWithCredentials() {
		Health undelivered = healthOnceTheGatewayIsGone();

		assertThat(undelivered.getStatus()).isEqualTo(Status.UP);
		assertThat(undelivered.getDetails()).containsEntry("delivery", "undelivered");
	}

	@Test
	void optedIntoDownIsDownWithTheUndeliveredGroupWhenTheGatewayIsGone() {
		Health undelivered = healthOnceTheGatewayIsGone("batch.pushgateway.health.down-when-undelivered=true");

		assertThat(undelivered.getStatus()).isEqualTo(Status.DOWN);
	}

	private static Health healthOnceTheGatewayIsGone(String... properties) {
		PushgatewayServer gateway = PushgatewayServer.start();
		List<String> all = new ArrayList<>(List.of("spring.main.sources=" + MeteredJobs.class.getName(),
				"batch.pushgateway.username=pusher", "batch.pushgateway.password=s3cret-pw",
				"batch.pushgateway.flush-timeout=0", "batch.pushgateway.retry.max-retries=1"));
		all.addAll(List.of(properties));
		try (TestBatchApplication application = TestBatchApplication.start(gateway.address(),
				all.toArray(String[]::new))) {
			HealthIndicator health = application.bean("batchPushgatewayHealthIndicator", HealthIndicator.class);
			// given a run delivered to the gateway
			application.run("quietJob", new JobParameters());
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(gateway.metrics().names()).contains("batch_job_status"));
			assertThat(health.health().getStatus()).isEqualTo(Status.UP);
			assertThat(health.health().getDetails()).containsEntry("delivery", "delivered");

			// when the gateway is gone and the next run cannot be delivered
			gateway.close();
			application.run("quietJob", new JobParameters());

			// then the contributor names the group, since when, and no credentials
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(health.health().getDetails()).containsKey("undeliveredGroups"));
			Health undelivered = health.health();
			assertThat(undelivered.getDetails()).containsEntry("target", "http://" + gateway.address());
			assertThat(undelivered.getDetails().get("undeliveredGroups")).asInstanceOf(
					org.assertj.core.api.InstanceOfAssertFactories.map(String.class, String.class))
				.containsOnlyKeys("job=quietJob");
			assertThat(undelivered.toString()).doesNotContain("s3cret-pw").doesNotContain("pusher");
			return undelivered;
		}
		finally {
			gateway.close();
		}
	}

}
