package io.github.batchpushgateway.micrometer;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.github.batchpushgateway.batch.PushGroupResolver;
import io.github.batchpushgateway.batch.PushPipeline;
import io.github.batchpushgateway.metrics.JobMetricsSnapshotFactory;
import io.github.batchpushgateway.metrics.JobSchedule;
import io.github.batchpushgateway.push.PushListener;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.core.retry.RetryPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Meters of ended executions do not pile up: after 10,000 runs through the real pipeline, no
 * registry is left and only the final meters of executions the history still shows are kept.
 */
class BatchMetersLeakTests {

	private static final int RUNS = 10_000;

	@Test
	void tenThousandRunsLeaveNoRegistryBehindAndEachStartsFromZero() {
		AtomicReference<MetricSnapshots> lastPushed = new AtomicReference<>();
		AtomicReference<PushPipeline> pipeline = new AtomicReference<>();
		BatchMeters meters = new BatchMeters((execution) -> pipeline.get().recorder().isTracked(execution));
		PushGroupResolver resolver = new PushGroupResolver(Map.of(), List.of());
		try (PushPipeline pushing = new PushPipeline(
				new PushPipeline.Settings(Duration.ofSeconds(10), Duration.ZERO, Duration.ofSeconds(5),
						Duration.ofSeconds(30), 100, 0),
				resolver, null, null,
				new JobMetricsSnapshotFactory(() -> List.of(meters)),
				(jobName) -> new JobSchedule(Duration.ofSeconds(10), null),
				() -> List.of((group, metrics) -> lastPushed.set(metrics)), () -> RetryPolicy.builder().maxRetries(0).build(),
				(client) -> new PushListener() {
				}, null)) {
			pipeline.set(pushing);
			for (int run = 1; run <= RUNS; run++) {
				// given a run that records one more item than the previous one
				JobExecution execution = new JobExecution((long) run, new JobInstance((long) run, "importJob"),
						new JobParameters());
				execution.setStartTime(LocalDateTime.now());
				execution.setStatus(BatchStatus.STARTED);
				pushing.recorder().jobStarted(execution);
				meters.registry(execution).counter("records.exported").increment(run % 7);

				// when it ends
				execution.setStatus(BatchStatus.COMPLETED);
				execution.setExitStatus(ExitStatus.COMPLETED);
				execution.setEndTime(LocalDateTime.now());
				assertThat(pushing.recorder().jobEnded(execution)).isTrue();

				// then its final push holds its own count, not a sum over runs
				assertThat(counter(lastPushed.get(), "records_exported")).isEqualTo(run % 7);
			}
		}
		assertThat(meters.liveRegistries()).isZero();
		// What is kept goes with the executions: only the one the history shows is still reachable.
		lastPushed.set(null);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			System.gc();
			assertThat(meters.finalScrapes()).isLessThanOrEqualTo(1);
		});
	}

	private static double counter(MetricSnapshots metrics, String name) {
		return metrics.stream()
			.filter((metric) -> metric.getMetadata().getPrometheusName().equals(name))
			.map(CounterSnapshot.class::cast)
			.findFirst()
			.orElseThrow(() -> new AssertionError("No counter " + name))
			.getDataPoints()
			.get(0)
			.getValue();
	}

}
