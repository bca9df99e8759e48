package io.github.batchpushgateway.it;

import java.time.Duration;
import java.util.Map;

import io.github.batchpushgateway.testsupport.PushgatewayServer;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.parameters.JobParameters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A long-running application whose jobs ran and are idle refills a real Pushgateway that restarted
 * without a persistence file: the groups come back with their last outcome before any job runs
 * again.
 */
class GatewayRestartRefillTests {

	@Test
	void idleJobsGroupsReturnToAGatewayThatRestartedEmpty() {
		try (PushgatewayServer gateway = PushgatewayServer.start();
				TestBatchApplication application = TestBatchApplication.start(gateway.address(),
						"batch.pushgateway.refill-check-interval=200ms")) {
			// given two jobs that ran and are idle
			application.run("twoStepJob", new JobParameters());
			application.run("variantJob", new JobParameters());
			double lastSuccess = gateway.metrics()
				.require("batch_job_last_success_timestamp_seconds", Map.of("job", "twoStepJob"));

			// when the gateway restarts without its state
			gateway.restart();
			assertThat(gateway.groupCount()).isZero();

			// then both groups come back, with what they showed before
			await().atMost(Duration.ofSeconds(30)).until(() -> gateway.groupCount() == 2);
			assertThat(gateway.metrics().require("batch_job_last_success_timestamp_seconds", Map.of("job", "twoStepJob")))
				.isEqualTo(lastSuccess);
			assertThat(gateway.metrics().require("batch_job_status", Map.of("job", "twoStepJob", "status", "COMPLETED")))
				.isEqualTo(1);
			assertThat(gateway.metrics().require("batch_job_running", Map.of("job", "variantJob"))).isZero();
		}
	}

}
