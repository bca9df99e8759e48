package io.github.batchpushgateway.it;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
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
import org.springframework.batch.core.step.StepExecution;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code batch.pushgateway.observations.enabled}, Spring Batch's item read, item process and
 * chunk write observations of a run reach the job's group in a real Pushgateway as histograms
 * of that run only, in a number of series that does not depend on the items; without it, none.
 * The application has no ObservationRegistry of its own (no Actuator), so the starter's is used.
 */
class BatchObservationsPushTests {

	private static final String JOBS = "spring.main.sources=" + ObservedJobs.class.getName();

	private static final String ENABLED = "batch.pushgateway.observations.enabled=true";

	private static final List<String> STEPS = List.of("loadStep", "copyStep");

	private static final List<String> HISTOGRAMS = List.of("batch_item_read_seconds", "batch_item_process_seconds",
			"batch_chunk_write_seconds");

	@Test
	void eachStepsReadsProcessesAndChunkWritesOfTheRunAreCounted() {
		try (PushgatewayServer gateway = PushgatewayServer.start();
				TestBatchApplication application = TestBatchApplication.start(gateway.address(), JOBS, ENABLED)) {
			// when a run reads seven items in chunks of three
			JobExecution run = application.run("observedJob", items(7));

			// then per step: every read (the seven items and the read that finds no more), every
			// process, and the three chunks written, as the step execution counts them
			assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
			ScrapedMetrics metrics = gateway.metrics();
			for (StepExecution step : run.getStepExecutions()) {
				assertThat(step.getReadCount()).isEqualTo(7);
				assertThat(step.getCommitCount()).isEqualTo(3);
				Map<String, String> labels = successes(step.getStepName());
				assertThat(metrics.require("batch_item_read_seconds_count", labels)).isEqualTo(step.getReadCount() + 1);
				assertThat(metrics.require("batch_item_read_seconds_bucket", with(labels, "le", "+Inf")))
					.isEqualTo(step.getReadCount() + 1);
				assertThat(metrics.require("batch_item_process_seconds_count", labels)).isEqualTo(step.getReadCount());
				assertThat(metrics.require("batch_chunk_write_seconds_count", labels)).isEqualTo(step.getCommitCount());
				assertThat(metrics.require("batch_chunk_write_seconds_sum", labels)).isPositive();
			}
			assertThat(run.getStepExecutions()).extracting(StepExecution::getStepName)
				.containsExactlyInAnyOrderElementsOf(STEPS);
		}
	}

	@Test
	void noObservationsArePushedByDefault() {
		try (PushgatewayServer gateway = PushgatewayServer.start();
				TestBatchApplication application = TestBatchApplication.start(gateway.address(), JOBS)) {
			application.run("observedJob", items(7));

			ScrapedMetrics metrics = gateway.metrics();
			assertThat(metrics.require("batch_job_status", Map.of("job", "observedJob", "status", "COMPLETED")))
				.isEqualTo(1);
			assertThat(observationSeries(metrics)).isEmpty();
		}
	}

	@Test
	void aNewExecutionStartsFromZero() {
		try (PushgatewayServer gateway = PushgatewayServer.start();
				TestBatchApplication application = TestBatchApplication.start(gateway.address(), JOBS, ENABLED)) {
			application.run("observedJob", items(7));

			application.run("observedJob", items(2));

			ScrapedMetrics metrics = gateway.metrics();
			for (String step : STEPS) {
				assertThat(metrics.require("batch_item_read_seconds_count", successes(step))).isEqualTo(3);
				assertThat(metrics.require("batch_item_process_seconds_count", successes(step))).isEqualTo(2);
				assertThat(metrics.require("batch_chunk_write_seconds_count", successes(step))).isEqualTo(1);
			}
		}
	}

	@Test
	void theNumberOfSeriesDoesNotGrowWithTheItems() {
		try (PushgatewayServer gateway = PushgatewayServer.start();
				TestBatchApplication application = TestBatchApplication.start(gateway.address(), JOBS, ENABLED)) {
			application.run("observedJob", items(2));
			List<ScrapedMetrics.Sample> afterTwo = observationSeries(gateway.metrics());

			application.run("observedJob", items(200));
			List<ScrapedMetrics.Sample> afterTwoHundred = observationSeries(gateway.metrics());

			// 6 buckets (1 ms to 10 s and +Inf), _count, _sum and _max, for 3 kinds and 2 steps
			assertThat(afterTwo).hasSize(9 * HISTOGRAMS.size() * STEPS.size());
			assertThat(afterTwoHundred).hasSameSizeAs(afterTwo);
			assertThat(gateway.metrics().require("batch_item_process_seconds_count", successes("copyStep")))
				.isEqualTo(200);
		}
	}

	@Test
	void pushedHistogramsPassPromtool() throws Exception {
		try (PushgatewayServer gateway = PushgatewayServer.start();
				TestBatchApplication application = TestBatchApplication.start(gateway.address(), JOBS, ENABLED,
						"batch.pushgateway.format=text")) {
			JobExecution run = application.run("observedJob", items(4));

			MetricSnapshots meters = new MetricSnapshots(application.bean(BatchMeters.class).contribute(run));
			ByteArrayOutputStream payload = new ByteArrayOutputStream();
			PrometheusTextFormatWriter.create().write(payload, meters);
			String text = payload.toString(StandardCharsets.UTF_8);

			assertThat(text).contains("# TYPE batch_item_read_seconds histogram",
					"# TYPE batch_item_process_seconds histogram", "# TYPE batch_chunk_write_seconds histogram");
			ToolResult lint = Promtool.checkMetrics(text);
			assertThat(lint.output()).as("promtool findings for:%n%s", text).isBlank();
			assertThat(lint.exitCode()).isZero();
			assertThat(gateway.metrics().require("batch_item_process_seconds_count", successes("loadStep")))
				.isEqualTo(4);
		}
	}

	private static List<ScrapedMetrics.Sample> observationSeries(ScrapedMetrics metrics) {
		return metrics.samples()
			.stream()
			.filter((sample) -> "observedJob".equals(sample.labels().get("job")))
			.filter((sample) -> HISTOGRAMS.stream().anyMatch(sample.name()::startsWith))
			.toList();
	}

	private static Map<String, String> successes(String step) {
		return Map.of("job", "observedJob", "step", step, "status", "SUCCESS");
	}

	private static JobParameters items(long count) {
		return new JobParametersBuilder().addLong("items", count).toJobParameters();
	}

	private static Map<String, String> with(Map<String, String> labels, String name, String value) {
		Map<String, String> all = new HashMap<>(labels);
		all.put(name, value);
		return all;
	}

}
