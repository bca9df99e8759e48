package io.github.batchpushgateway.it;

import java.time.Duration;
import java.util.Map;

import io.github.batchpushgateway.health.BatchPushgatewayHealthIndicator;
import io.github.batchpushgateway.testsupport.PushgatewayServer;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code batchPushgateway} health contributor follows the delivery to a real Pushgateway.
 */
class DeliveryHealthTests {

	@Test
	void isUpWhilePushesSucceedAndDownWithTheUndeliveredGroupWhenTheGatewayIsGoneNeverWithCredentials() {
		PushgatewayServer gateway = PushgatewayServer.start();
		try (TestBatchApplication application = TestBatchApplication.start(gateway.address(),
				"spring.main.sources=" + MeteredJobs.class.getName(), "batch.pushgateway.username=pusher", "batch.pushgateway.password=s3cret-pw",
				"batch.pushgateway.flush-timeout=0", "batch.pushgateway.retry.max-retries=1")) {
			BatchPushgatewayHealthIndicator health = application.bean(BatchPushgatewayHealthIndicator.class);
			// given a run delivered to the gateway
			application.run("quietJob", new JobParameters());
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(gateway.metrics().names()).contains("batch_job_status"));
			assertThat(health.health().getStatus()).isEqualTo(Status.UP);

			// when the gateway is gone and the next run cannot be delivered
			gateway.close();
			application.run("quietJob", new JobParameters());

			// then the contributor is DOWN, names the group, since when, and no credentials
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(health.health().getStatus()).isEqualTo(Status.DOWN));
			Health down = health.health();
			assertThat(down.getDetails()).containsEntry("target", "http://" + gateway.address());
			assertThat(down.getDetails().get("undeliveredGroups")).asInstanceOf(
					org.assertj.core.api.InstanceOfAssertFactories.map(String.class, String.class))
				.containsOnlyKeys("job=quietJob");
			assertThat(down.toString()).doesNotContain("s3cret-pw").doesNotContain("pusher");
		}
		finally {
			gateway.close();
		}
	}

}
