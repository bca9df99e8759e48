package io.github.batchpushgateway.it;

import java.time.Duration;
import java.util.Map;

import io.github.batchpushgateway.testsupport.PushgatewayServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.batch.core.job.parameters.JobParameters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A long-running application whose jobs ran and are idle refills a real Pushgateway that restarted
 * without a persistence file: the groups come back with their last outcome before any job runs
 * again.
 */
@ExtendWith(OutputCaptureExtension.class)
class GatewayRestartRefillTests {

	@Test
	void idleJobsGroupsReturnToAGatewayThatRestartedEmpty(CapturedOutput output) {
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

			// then both groups come back, pushed again because the restarted gateway lacked them
			// (a check every 200 ms may refill before this test could see the gateway empty)
			await().atMost(Duration.ofSeconds(30)).until(() -> gateway.groupCount() == 2);
			assertThat(output.getAll()).contains("Pushing job=twoStepJob again to http://" + gateway.address())
				.contains("Pushing job=variantJob again to http://" + gateway.address());
			// with what they showed before
			assertThat(gateway.metrics().require("batch_job_last_success_timestamp_seconds", Map.of("job", "twoStepJob")))
				.isEqualTo(lastSuccess);
			assertThat(gateway.metrics().require("batch_job_status", Map.of("job", "twoStepJob", "status", "COMPLETED")))
				.isEqualTo(1);
			assertThat(gateway.metrics().require("batch_job_running", Map.of("job", "variantJob"))).isZero();
		}
	}

}
