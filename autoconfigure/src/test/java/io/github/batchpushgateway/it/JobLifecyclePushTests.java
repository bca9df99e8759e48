package io.github.batchpushgateway.it;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.batchpushgateway.testsupport.PushgatewayServer;
import io.github.batchpushgateway.testsupport.ScrapedMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.step.StepExecution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a real Pushgateway shows while a job runs and after it ends.
 */
class JobLifecyclePushTests {

	private static PushgatewayServer gateway;

	private static TestBatchApplication application;

	@BeforeAll
	static void start() {
		gateway = PushgatewayServer.start();
		application = TestBatchApplication.start(gateway.address());
	}

	@AfterAll
	static void stop() {
		application.close();
		gateway.close();
	}

	@Test
	void runningJobShowsStartedWithLiveCountsThenCompletedWithFinalCounts() throws Exception {
		// given a two-step job held at item 21 of its chunk step
		Gate gate = application.bean(Gate.class);
		gate.arm(21);
		CompletableFuture<JobExecution> run = CompletableFuture.supplyAsync(() -> application.run("twoStepJob",
				new JobParametersBuilder().addLong("items", 40L).toJobParameters()));
		StepExecution held = gate.awaitHeld(Duration.ofSeconds(30));

		// when the progress monitor has pushed the chunks committed so far
		Map<String, String> importStep = Map.of("job", "twoStepJob", "step", "importStep");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
				gateway.metrics().value("batch_step_read_items_total", importStep)).hasValue(held.getReadCount()));

		// then the gateway shows the job running, STARTED, with the live counts
		ScrapedMetrics whileRunning = gateway.metrics();
		assertThat(held.getReadCount()).isEqualTo(20);
		assertThat(whileRunning.require("batch_job_running", Map.of("job", "twoStepJob"))).isEqualTo(1);
		assertThat(whileRunning.require("batch_job_status", Map.of("job", "twoStepJob", "status", "STARTED"))).isEqualTo(1);
		assertThat(whileRunning.require("batch_job_status", Map.of("job", "twoStepJob", "status", "COMPLETED"))).isEqualTo(0);
		assertThat(whileRunning.require("batch_step_status", Map.of("step", "importStep", "status", "STARTED"))).isEqualTo(1);
		assertThat(whileRunning.require("batch_step_written_items_total", importStep)).isEqualTo(held.getWriteCount());
		assertThat(whileRunning.require("batch_step_filtered_items_total", importStep)).isEqualTo(held.getFilterCount());
		assertThat(whileRunning.require("batch_step_commits_total", importStep)).isEqualTo(held.getCommitCount());

		// when the job goes on to its end
		gate.open();
		JobExecution finished = run.get(30, TimeUnit.SECONDS);

		// then its final state is in the gateway as soon as the job has returned
		assertThat(finished.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		ScrapedMetrics after = gateway.metrics();
		assertThat(after.require("batch_job_running", Map.of("job", "twoStepJob"))).isEqualTo(0);
		assertThat(after.require("batch_job_status", Map.of("job", "twoStepJob", "status", "COMPLETED"))).isEqualTo(1);
		assertThat(after.require("batch_job_status", Map.of("job", "twoStepJob", "status", "STARTED"))).isEqualTo(0);
		assertThat(after.require("batch_job_exit_info", Map.of("job", "twoStepJob", "exit_code", "COMPLETED"))).isEqualTo(1);
		for (StepExecution step : finished.getStepExecutions()) {
			Map<String, String> labels = Map.of("job", "twoStepJob", "step", step.getStepName());
			assertThat(after.require("batch_step_status", Map.of("step", step.getStepName(), "status", "COMPLETED")))
				.isEqualTo(1);
			assertThat(after.require("batch_step_read_items_total", labels)).isEqualTo(step.getReadCount());
			assertThat(after.require("batch_step_written_items_total", labels)).isEqualTo(step.getWriteCount());
			assertThat(after.require("batch_step_filtered_items_total", labels)).isEqualTo(step.getFilterCount());
			assertThat(after.require("batch_step_commits_total", labels)).isEqualTo(step.getCommitCount());
			assertThat(after.require("batch_step_rollbacks_total", labels)).isEqualTo(step.getRollbackCount());
			assertThat(after.require("batch_step_skipped_items_total", Map.of("step", step.getStepName(), "phase", "read")))
				.isEqualTo(step.getReadSkipCount());
		}
		StepExecution importExecution = finished.getStepExecutions().iterator().next();
		assertThat(importExecution.getReadCount()).isEqualTo(40);
		assertThat(importExecution.getFilterCount()).isEqualTo(5);
		assertThat(after.require("batch_job_last_success_timestamp_seconds", Map.of("job", "twoStepJob")))
			.isCloseTo(epochSeconds(finished), org.assertj.core.data.Offset.offset(0.001));
		assertThat(after.require("batch_job_duration_seconds", Map.of("job", "twoStepJob"))).isPositive();
	}

	static double epochSeconds(JobExecution execution) {
		java.time.Instant end = io.github.batchpushgateway.metrics.BatchTimes.toInstant(execution.getEndTime());
		return end.getEpochSecond() + end.getNano() / 1e9;
	}

}
