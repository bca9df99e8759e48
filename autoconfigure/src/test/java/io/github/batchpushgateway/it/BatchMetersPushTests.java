package io.github.batchpushgateway.it;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.github.batchpushgateway.micrometer.BatchMeters;
import io.github.batchpushgateway.testsupport.Promtool;
import io.github.batchpushgateway.testsupport.PushgatewayServer;
import io.github.batchpushgateway.testsupport.ScrapedMetrics;
import io.github.batchpushgateway.testsupport.ToolResult;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Meters that job code records through {@link BatchMeters} reach the job's group in a real
 * Pushgateway, for the current execution only, and no other job's group.
 */
class BatchMetersPushTests {

	private static final String JOBS = "spring.main.sources=" + MeteredJobs.class.getName();

	@Test
	void metersOfTheRunAppearInTheJobsGroupWithExactValues() {
		try (PushgatewayServer gateway = PushgatewayServer.start();
				TestBatchApplication application = TestBatchApplication.start(gateway.address(), JOBS)) {
			// when a run exports four items
			JobExecution run = application.run("meteredJob", items(4));

			// then each meter is in the job's group, named as micrometer-registry-prometheus names it
			assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
			ScrapedMetrics metrics = gateway.metrics();
			Map<String, String> job = Map.of("job", "meteredJob");
			assertThat(metrics.require("records_exported_total", with(job, "parity", "odd"))).isEqualTo(2);
			assertThat(metrics.require("records_exported_total", with(job, "parity", "even"))).isEqualTo(2);
			assertThat(metrics.require("record_export_seconds_count", job)).isEqualTo(4);
			assertThat(metrics.require("record_export_seconds_sum", job)).isEqualTo(0.04, within());
			assertThat(metrics.require("record_size_bytes_count", job)).isEqualTo(4);
			assertThat(metrics.require("record_size_bytes_sum", job)).isEqualTo(10);
			assertThat(metrics.require("export_backlog", job)).isEqualTo(7);
			assertThat(metrics.require("batch_job_status", with(job, "status", "COMPLETED"))).isEqualTo(1);
		}
	}

	@Test
	void aNewExecutionStartsFromZeroAndOtherJobsNeverShowTheMeters() {
		try (PushgatewayServer gateway = PushgatewayServer.start();
				TestBatchApplication application = TestBatchApplication.start(gateway.address(), JOBS)) {
			// given a run that exported four items, and another job run in between
			application.run("meteredJob", items(4));
			application.run("quietJob", new JobParameters());

			// when the next run exports one
			application.run("meteredJob", items(1));

			// then the group shows that run's meters only, and the other job's group none of them
			ScrapedMetrics metrics = gateway.metrics();
			Map<String, String> job = Map.of("job", "meteredJob");
			assertThat(metrics.require("records_exported_total", with(job, "parity", "odd"))).isEqualTo(1);
			assertThat(metrics.value("records_exported_total", with(job, "parity", "even"))).isEmpty();
			assertThat(metrics.require("record_size_bytes_count", job)).isEqualTo(1);
			assertThat(metrics.samples()).filteredOn((sample) -> "quietJob".equals(sample.labels().get("job")))
				.extracting(ScrapedMetrics.Sample::name)
				.contains("batch_job_status")
				.noneMatch((name) -> name.startsWith("record") || name.startsWith("export"));
		}
	}

	@Test
	void pushedMeterNamesPassPromtool() throws Exception {
		try (PushgatewayServer gateway = PushgatewayServer.start();
				TestBatchApplication application = TestBatchApplication.start(gateway.address(), JOBS,
						"batch.pushgateway.format=text")) {
			JobExecution run = application.run("meteredJob", items(3));

			MetricSnapshots meters = new MetricSnapshots(application.bean(BatchMeters.class).contribute(run));
			ByteArrayOutputStream payload = new ByteArrayOutputStream();
			PrometheusTextFormatWriter.create().write(payload, meters);
			String text = payload.toString(StandardCharsets.UTF_8);

			assertThat(text).contains("records_exported_total{", "record_export_seconds_count ", "export_backlog ");
			ToolResult lint = Promtool.checkMetrics(text);
			assertThat(lint.output()).as("promtool findings for:%n%s", text).isBlank();
			assertThat(lint.exitCode()).isZero();
			assertThat(gateway.metrics().require("records_exported_total", Map.of("parity", "odd"))).isEqualTo(2);
		}
	}

	private static JobParameters items(long count) {
		return new JobParametersBuilder().addLong("items", count).toJobParameters();
	}

	private static Map<String, String> with(Map<String, String> labels, String name, String value) {
		Map<String, String> all = new java.util.HashMap<>(labels);
		all.put(name, value);
		return all;
	}

	private static org.assertj.core.data.Offset<Double> within() {
		return org.assertj.core.data.Offset.offset(1e-9);
	}

}
