package io.github.batchpushgateway.it;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.batchpushgateway.testsupport.PushgatewayServer;
import io.github.batchpushgateway.testsupport.ScrapedMetrics;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.step.StepExecution;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two jobs running at once in one JVM, one of them with a multi-threaded step, each report their
 * own counts, exactly.
 */
class ConcurrencyTests {

	@Test
	void twoJobsAtOnceAndAMultiThreadedStepReportExactCountsWithoutCrossTalk() throws Exception {
		try (PushgatewayServer gateway = PushgatewayServer.start();
				TestBatchApplication application = TestBatchApplication.start(gateway.address())) {
			// given one job held mid-step
			Gate gate = application.bean(Gate.class);
			gate.arm(21);
			CompletableFuture<JobExecution> held = CompletableFuture
				.supplyAsync(() -> application.run("twoStepJob", new JobParametersBuilder().toJobParameters()));
			StepExecution heldStep = gate.awaitHeld(Duration.ofSeconds(30));

			// when a job with a multi-threaded step runs meanwhile
			JobExecution parallel = application.run("parallelJob",
					new JobParametersBuilder().addLong("items", 5000L).toJobParameters());

			// then its counts are exact
			StepExecution parallelStep = parallel.getStepExecutions().iterator().next();
			assertThat(parallel.getStatus()).isEqualTo(BatchStatus.COMPLETED);
			assertThat(parallelStep.getReadCount()).isEqualTo(5000);
			ScrapedMetrics metrics = gateway.metrics();
			Map<String, String> parallelLabels = Map.of("job", "parallelJob", "step", "parallelStep");
			assertThat(metrics.require("batch_step_read_items_total", parallelLabels)).isEqualTo(5000);
			assertThat(metrics.require("batch_step_written_items_total", parallelLabels)).isEqualTo(5000);
			assertThat(metrics.require("batch_step_commits_total", parallelLabels)).isEqualTo(parallelStep.getCommitCount());
			assertThat(metrics.require("batch_job_status", Map.of("job", "parallelJob", "status", "COMPLETED"))).isEqualTo(1);

			// and the held job is still running with its own counts, in its own group
			assertThat(metrics.require("batch_job_running", Map.of("job", "twoStepJob"))).isEqualTo(1);
			assertThat(metrics.require("batch_step_read_items_total", Map.of("job", "twoStepJob", "step", "importStep")))
				.isEqualTo(heldStep.getReadCount());
			assertThat(metrics.value("batch_step_read_items_total", Map.of("job", "twoStepJob", "step", "parallelStep")))
				.isEmpty();
			assertThat(metrics.value("batch_step_read_items_total", Map.of("job", "parallelJob", "step", "importStep")))
				.isEmpty();

			gate.open();
			JobExecution finished = held.get(30, TimeUnit.SECONDS);
			assertThat(finished.getStatus()).isEqualTo(BatchStatus.COMPLETED);
			assertThat(gateway.metrics().require("batch_step_read_items_total",
					Map.of("job", "twoStepJob", "step", "importStep"))).isEqualTo(40);
		}
	}

}
