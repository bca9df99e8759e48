package io.github.batchpushgateway.it;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.List;

import io.github.batchpushgateway.metrics.JobHistory;
import io.github.batchpushgateway.metrics.JobState;
import io.github.batchpushgateway.metrics.JobMetricsSnapshotFactory;
import io.github.batchpushgateway.metrics.JobSchedule;
import io.github.batchpushgateway.push.PushGroup;
import io.github.batchpushgateway.push.PushgatewayHttpClient;
import io.github.batchpushgateway.testsupport.Promtool;
import io.github.batchpushgateway.testsupport.PushgatewayServer;
import io.github.batchpushgateway.testsupport.ToolResult;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.step.StepExecution;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The text payload the starter pushes passes {@code promtool check metrics} with no findings.
 */
class PayloadLintTests {

	@Test
	void pushedTextPayloadOfARunWithEveryMetricPassesPromtool() throws Exception {
		try (PushgatewayServer gateway = PushgatewayServer.start();
				TestBatchApplication application = TestBatchApplication.start(gateway.address(),
						"batch.pushgateway.format=text", "batch.pushgateway.jobs.expected-interval=1d")) {
			// given a finished run with a success and a failure in its history
			JobExecution ok = application.run("twoStepJob", new JobParametersBuilder().toJobParameters());
			JobExecution failed = application.run("twoStepJob",
					new JobParametersBuilder().addString("fail", "true").toJobParameters());
			JobHistory history = JobHistory.EMPTY.with(JobHistory.FinishedRun.of(ok))
				.with(JobHistory.FinishedRun.of(failed));

			// when its payload is written as the client writes text pushes
			MetricSnapshots snapshots = application.bean(JobMetricsSnapshotFactory.class)
				.create(new JobState(1, ok, history, java.time.Instant.now(), new JobSchedule(
						java.time.Duration.ofSeconds(10), java.time.Duration.ofDays(1), java.time.Duration.ofMinutes(5),
						java.time.Duration.ofHours(2))));
			ByteArrayOutputStream payload = new ByteArrayOutputStream();
			PrometheusTextFormatWriter.create().write(payload, snapshots);
			String text = payload.toString(StandardCharsets.UTF_8);

			// then it holds every metric of the contract and promtool finds nothing
			assertThat(text).contains(List.of("batch_job_status{", "batch_job_running ", "batch_job_start_timestamp_seconds ",
					"batch_job_end_timestamp_seconds ", "batch_job_duration_seconds ",
					"batch_job_last_success_timestamp_seconds ", "batch_job_last_failure_timestamp_seconds ",
					"batch_job_exit_info{", "batch_job_expected_interval_seconds ", "batch_job_progress_interval_seconds ",
					"batch_job_last_progress_timestamp_seconds ", "batch_job_stall_timeout_seconds ",
					"batch_job_max_duration_seconds ",
					"batch_step_status{", "batch_step_duration_seconds{", "batch_step_read_items_total{",
					"batch_step_written_items_total{", "batch_step_filtered_items_total{",
					"batch_step_skipped_items_total{", "batch_step_commits_total{", "batch_step_rollbacks_total{"));
			ToolResult lint = Promtool.checkMetrics(text);
			assertThat(lint.output()).as("promtool findings for:%n%s", text).isBlank();
			assertThat(lint.exitCode()).isZero();

			// and the gateway accepted the same state pushed as text
			assertThat(gateway.metrics().names()).contains("batch_job_exit_info", "batch_step_skipped_items_total");
		}
	}

	@Test
	void payloadOfAPartitionedRunPassesPromtoolAndTheGatewayTakesIt() throws Exception {
		// given a running partition step with partitions in several states
		JobExecution execution = new JobExecution(1L, new JobInstance(1L, "gridJob"), new JobParameters());
		LocalDateTime start = LocalDateTime.now().minusMinutes(5);
		execution.setStartTime(start);
		execution.setStatus(BatchStatus.STARTED);
		StepExecution manager = new StepExecution(2L, "manager", execution);
		manager.setStartTime(start);
		manager.setStatus(BatchStatus.STARTED);
		execution.addStepExecution(manager);
		BatchStatus[] statuses = { BatchStatus.STARTED, BatchStatus.COMPLETED, BatchStatus.STARTING };
		for (int i = 0; i < statuses.length; i++) {
			StepExecution partition = new StepExecution(3L + i, "worker:partition" + i, execution);
			partition.setCreateTime(start.plusSeconds(1));
			partition.setStatus(statuses[i]);
			partition.setWriteCount(10 * i);
			partition.setLastUpdated(start.plusMinutes(1));
			execution.addStepExecution(partition);
		}

		// when its payload is written as the client writes text pushes
		MetricSnapshots snapshots = new JobMetricsSnapshotFactory(List::of).create(new JobState(1, execution,
				JobHistory.EMPTY, java.time.Instant.now(), new JobSchedule(java.time.Duration.ofSeconds(10), null,
						java.time.Duration.ofMinutes(1), null)));
		ByteArrayOutputStream payload = new ByteArrayOutputStream();
		PrometheusTextFormatWriter.create().write(payload, snapshots);
		String text = payload.toString(StandardCharsets.UTF_8);

		// then the partitions are summed up per partition step and promtool finds nothing
		assertThat(text).contains("batch_step_partitions{", "batch_step_partitions_stalled{",
				"batch_step_stalest_partition_progress_timestamp_seconds{")
			.doesNotContain("worker:partition");
		ToolResult lint = Promtool.checkMetrics(text);
		assertThat(lint.output()).as("promtool findings for:%n%s", text).isBlank();
		assertThat(lint.exitCode()).isZero();

		// and a real gateway takes it
		try (PushgatewayServer gateway = PushgatewayServer.start()) {
			PushgatewayHttpClient.builder(URI.create(gateway.url())).format(PushgatewayHttpClient.Format.TEXT).build()
				.push(PushGroup.of("gridJob"), snapshots);
			assertThat(gateway.metrics().names()).contains("batch_step_partitions", "batch_step_partitions_stalled",
					"batch_step_stalest_partition_progress_timestamp_seconds");
		}
	}

}
