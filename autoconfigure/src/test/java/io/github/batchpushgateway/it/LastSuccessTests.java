package io.github.batchpushgateway.it;

import java.nio.file.Path;
import java.util.Map;

import io.github.batchpushgateway.testsupport.PushgatewayServer;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import static io.github.batchpushgateway.it.JobLifecyclePushTests.epochSeconds;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The last-success timestamp comes from the job repository, not from the gateway: it survives failed
 * runs, a restarted empty gateway and a restarted application.
 */
class LastSuccessTests {

	private static final Map<String, String> JOB = Map.of("job", "twoStepJob");

	private static final Offset<Double> MICROSECOND = Offset.offset(1e-5);

	@Test
	void lastSuccessSurvivesFailuresAnEmptyGatewayAndAnApplicationRestart(@TempDir Path directory) {
		Path database = directory.resolve("batch");
		try (PushgatewayServer gateway = PushgatewayServer.start()) {
			double success;
			try (TestBatchApplication application = TestBatchApplication.startOnFile(database, gateway.address())) {
				// given a successful run, then a failed one
				JobExecution ok = application.run("twoStepJob", new JobParameters());
				JobExecution failed = application.run("twoStepJob", failing());
				assertThat(ok.getStatus()).isEqualTo(BatchStatus.COMPLETED);
				assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
				success = epochSeconds(ok);

				// then the gateway shows the failure and still the first run's success
				assertThat(gateway.metrics().require("batch_job_status", Map.of("job", "twoStepJob", "status", "FAILED")))
					.isEqualTo(1);
				assertThat(gateway.metrics().require("batch_job_exit_info", Map.of("job", "twoStepJob", "exit_code", "FAILED")))
					.isEqualTo(1);
				assertThat(gateway.metrics().require("batch_job_last_failure_timestamp_seconds", JOB))
					.isCloseTo(epochSeconds(failed), MICROSECOND);
				assertThat(gateway.metrics().require("batch_job_last_success_timestamp_seconds", JOB))
					.isCloseTo(success, MICROSECOND);

				// when the gateway restarts empty and the job fails again
				gateway.restart();
				assertThat(gateway.metrics().value("batch_job_last_success_timestamp_seconds", JOB)).isEmpty();
				JobExecution failedAgain = application.run("twoStepJob", failing());

				// then the last success is back, unchanged
				assertThat(gateway.metrics().require("batch_job_last_success_timestamp_seconds", JOB))
					.isCloseTo(success, MICROSECOND);
				assertThat(gateway.metrics().require("batch_job_last_failure_timestamp_seconds", JOB))
					.isCloseTo(epochSeconds(failedAgain), MICROSECOND);
			}

			// when the application restarts on the same database, the gateway restarts empty, and the job fails
			gateway.restart();
			try (TestBatchApplication application = TestBatchApplication.startOnFile(database, gateway.address())) {
				JobExecution failedAfterRestart = application.run("twoStepJob", failing());

				// then the last success is read back from the job repository
				assertThat(failedAfterRestart.getStatus()).isEqualTo(BatchStatus.FAILED);
				assertThat(gateway.metrics().require("batch_job_last_success_timestamp_seconds", JOB))
					.isCloseTo(success, MICROSECOND);
				assertThat(gateway.metrics().require("batch_job_last_failure_timestamp_seconds", JOB))
					.isCloseTo(epochSeconds(failedAfterRestart), MICROSECOND);
			}
		}
	}

	@Test
	void jobThatNeverSucceededHasNoLastSuccessSeries() {
		try (PushgatewayServer gateway = PushgatewayServer.start();
				TestBatchApplication application = TestBatchApplication.start(gateway.address())) {
			application.run("twoStepJob", failing());

			assertThat(gateway.metrics().value("batch_job_last_success_timestamp_seconds", JOB)).isEmpty();
			assertThat(gateway.metrics().value("batch_job_last_failure_timestamp_seconds", JOB)).isPresent();
		}
	}

	private static JobParameters failing() {
		return new JobParametersBuilder().addString("fail", "true").toJobParameters();
	}

}
