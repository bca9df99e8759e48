package io.github.batchpushgateway.it;

import java.util.List;
import java.util.Map;

import io.github.batchpushgateway.batch.PushGroupResolver;
import io.github.batchpushgateway.testsupport.PushgatewayServer;
import io.github.batchpushgateway.testsupport.ScrapedMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * What the gateway holds for a group when the JVM that pushes it has no history of its own (an
 * in-memory job repository), when names and values would leave the group's URL path, and when a
 * grouping parameter takes a new value at every run.
 */
@ExtendWith(OutputCaptureExtension.class)
class GroupStateAcrossJvmsTests {

	private static final Map<String, String> TWO_STEP_JOB = Map.of("job", "twoStepJob");

	@Test
	void withAnInMemoryRepositoryTheLastSuccessOfAnEarlierJvmSurvivesAFailedRun() {
		try (PushgatewayServer gateway = PushgatewayServer.start()) {
			// given a success pushed by one application on an in-memory repository, which then exits
			double success;
			try (TestBatchApplication first = TestBatchApplication.start(gateway.address())) {
				JobExecution ok = first.run("twoStepJob", new JobParametersBuilder().toJobParameters());
				assertThat(ok.getStatus()).isEqualTo(BatchStatus.COMPLETED);
				success = gateway.metrics().require("batch_job_last_success_timestamp_seconds", TWO_STEP_JOB);
			}

			// when a new application, whose repository knows nothing, runs the job and it fails
			try (TestBatchApplication second = TestBatchApplication.start(gateway.address())) {
				JobExecution failed = second.run("twoStepJob",
						new JobParametersBuilder().addString("fail", "true").toJobParameters());
				assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
			}

			// then the gateway still holds the earlier success, next to the new failure
			ScrapedMetrics after = gateway.metrics();
			assertThat(after.require("batch_job_last_success_timestamp_seconds", TWO_STEP_JOB)).isCloseTo(success,
					within(1e-6));
			assertThat(after.require("batch_job_last_failure_timestamp_seconds", TWO_STEP_JOB)).isGreaterThan(success);
			assertThat(after.require("batch_job_status", Map.of("job", "twoStepJob", "status", "FAILED"))).isEqualTo(1);
		}
	}

	@Test
	void dotAndDotDotAsJobNamesOrGroupingValuesLandInTheirOwnGroups() {
		try (PushgatewayServer gateway = PushgatewayServer.start();
				TestBatchApplication application = TestBatchApplication.start(gateway.address(),
						"batch.pushgateway.grouping-parameters=region")) {
			// when jobs named "." and ".." run, and a job runs with the grouping values "." and ".."
			for (String job : List.of("dotJob", "dotDotJob")) {
				assertThat(application.run(job, region("eu")).getStatus()).isEqualTo(BatchStatus.COMPLETED);
			}
			for (String region : List.of(".", "..")) {
				assertThat(application.run("twoStepJob", region(region)).getStatus()).isEqualTo(BatchStatus.COMPLETED);
			}

			// then each has a group of its own, under exactly its name and value
			assertThat(gateway.groupLabels()).contains(Map.of("job", ".", "region", "eu"),
					Map.of("job", "..", "region", "eu"), Map.of("job", "twoStepJob", "region", "."),
					Map.of("job", "twoStepJob", "region", ".."));
			ScrapedMetrics metrics = gateway.metrics();
			assertThat(metrics.require("batch_job_status", Map.of("job", "..", "region", "eu", "status", "COMPLETED")))
				.isEqualTo(1);
			assertThat(metrics.require("batch_job_status",
					Map.of("job", "twoStepJob", "region", "..", "status", "COMPLETED")))
				.isEqualTo(1);
		}
	}

	@Test
	void aGroupingParameterWithANewValueEveryRunStopsAtTheCapOfGroups(CapturedOutput output) {
		try (PushgatewayServer gateway = PushgatewayServer.start();
				TestBatchApplication application = TestBatchApplication.start(gateway.address(),
						"batch.pushgateway.grouping-parameters=batch", "batch.pushgateway.max-groups-per-job=3")) {
			// when a job runs ten times with a new value of its grouping parameter each time
			for (int run = 1; run <= 10; run++) {
				JobExecution execution = application.run("twoStepJob",
						new JobParametersBuilder().addString("batch", "b" + run).toJobParameters());
				assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
			}

			// then the gateway holds the first three groups and one overflow group, no more
			assertThat(gateway.groupLabels()).filteredOn((labels) -> "twoStepJob".equals(labels.get("job")))
				.containsExactlyInAnyOrder(Map.of("job", "twoStepJob", "batch", "b1"),
						Map.of("job", "twoStepJob", "batch", "b2"), Map.of("job", "twoStepJob", "batch", "b3"),
						Map.of("job", "twoStepJob", "batch", PushGroupResolver.OVERFLOW));
			assertThat(gateway.metrics().require("batch_step_read_items_total",
					Map.of("job", "twoStepJob", "batch", PushGroupResolver.OVERFLOW, "step", "importStep")))
				.isPositive();

			// and one WARN said so, naming the property
			assertThat(output.getOut().split("batch.pushgateway.max-groups-per-job", -1)).hasSize(2);
		}
	}

	private static org.springframework.batch.core.job.parameters.JobParameters region(String region) {
		return new JobParametersBuilder().addString("region", region).toJobParameters();
	}

}
