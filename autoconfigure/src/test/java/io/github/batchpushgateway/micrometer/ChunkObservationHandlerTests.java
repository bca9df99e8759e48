package io.github.batchpushgateway.micrometer;

import java.time.LocalDateTime;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBucket;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.StepExecution;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ChunkObservationHandler}: Spring Batch's item read, item process and chunk write
 * observations become histograms in the {@link BatchMeters} registry of the execution whose step
 * runs on the thread, tagged by step and a bounded status.
 */
class ChunkObservationHandlerTests {

	private final Set<JobExecution> pushed = Collections.newSetFromMap(new IdentityHashMap<>());

	private final BatchMeters meters = new BatchMeters(this.pushed::contains);

	private final ObservationRegistry observations = ObservationRegistry.create();

	ChunkObservationHandlerTests() {
		this.observations.observationConfig().observationHandler(new ChunkObservationHandler(() -> this.meters));
	}

	@AfterEach
	void releaseContexts() {
		StepSynchronizationManager.release();
	}

	@Test
	void recordsEachKindAsAHistogramOfTheStepsExecutionTaggedByStepAndStatus() {
		JobExecution execution = pushedExecution();
		inStep(execution, "importStep");

		observe("spring.batch.item.read", "SUCCESS", 3);
		observe("spring.batch.item.process", "SUCCESS", 2);
		observe("spring.batch.chunk.write", "SUCCESS", 1);

		Collection<MetricSnapshot> metrics = this.meters.contribute(execution);
		assertThat(point(metrics, "batch_item_read_seconds", "importStep", "SUCCESS").getCount()).isEqualTo(3);
		assertThat(point(metrics, "batch_item_process_seconds", "importStep", "SUCCESS").getCount()).isEqualTo(2);
		assertThat(point(metrics, "batch_chunk_write_seconds", "importStep", "SUCCESS").getCount()).isEqualTo(1);
	}

	@Test
	void bucketsAreFixedSoSeriesDoNotGrowWithTheItems() {
		JobExecution execution = pushedExecution();
		inStep(execution, "importStep");

		observe("spring.batch.item.read", "SUCCESS", 1);
		List<Double> bucketsAfterOne = upperBounds(
				point(this.meters.contribute(execution), "batch_item_read_seconds", "importStep", "SUCCESS"));
		observe("spring.batch.item.read", "SUCCESS", 999);
		HistogramDataPointSnapshot afterAThousand = point(this.meters.contribute(execution), "batch_item_read_seconds",
				"importStep", "SUCCESS");

		assertThat(bucketsAfterOne).containsExactly(0.001, 0.01, 0.1, 1.0, 10.0, Double.POSITIVE_INFINITY);
		assertThat(upperBounds(afterAThousand)).isEqualTo(bucketsAfterOne);
		assertThat(afterAThousand.getClassicBuckets().stream().mapToLong(ClassicHistogramBucket::getCount).sum())
			.as("observations in the buckets").isEqualTo(1000);
		assertThat(afterAThousand.getCount()).isEqualTo(1000);
	}

	@Test
	void aFailureAndAnObservationWithoutStatusAreFailures() {
		// Spring Batch 6.0 sets no status when the exception ends the step.
		JobExecution execution = pushedExecution();
		inStep(execution, "importStep");

		observe("spring.batch.item.read", "FAILURE", 1);
		observe("spring.batch.item.read", null, 1);
		observe("spring.batch.item.read", "SOMETHING_NEW", 1);

		Collection<MetricSnapshot> metrics = this.meters.contribute(execution);
		assertThat(point(metrics, "batch_item_read_seconds", "importStep", "FAILURE").getCount()).isEqualTo(3);
		assertThat(histogram(metrics, "batch_item_read_seconds").getDataPoints()).hasSize(1);
	}

	@Test
	void eachExecutionAndStepCountsItsOwn() {
		JobExecution first = pushedExecution();
		JobExecution second = pushedExecution();

		inStep(first, "readStep");
		observe("spring.batch.item.read", "SUCCESS", 2);
		inStep(first, "writeStep");
		observe("spring.batch.item.read", "SUCCESS", 1);
		inStep(second, "readStep");
		observe("spring.batch.item.read", "SUCCESS", 5);

		Collection<MetricSnapshot> firstMetrics = this.meters.contribute(first);
		assertThat(point(firstMetrics, "batch_item_read_seconds", "readStep", "SUCCESS").getCount()).isEqualTo(2);
		assertThat(point(firstMetrics, "batch_item_read_seconds", "writeStep", "SUCCESS").getCount()).isEqualTo(1);
		assertThat(point(this.meters.contribute(second), "batch_item_read_seconds", "readStep", "SUCCESS").getCount())
			.isEqualTo(5);
	}

	@Test
	void recordsNothingForExecutionsTheStarterDoesNotPush() {
		JobExecution excluded = execution();
		inStep(excluded, "importStep");

		observe("spring.batch.item.read", "SUCCESS", 3);

		assertThat(this.meters.contribute(excluded)).isEmpty();
	}

	@Test
	void ignoresObservationsOutsideAStepAndOtherObservations() {
		JobExecution execution = pushedExecution();
		observe("spring.batch.item.read", "SUCCESS", 1);
		inStep(execution, "importStep");

		observe("spring.batch.step", "SUCCESS", 1);
		observe("spring.batch.job", "SUCCESS", 1);
		observe("http.client.requests", "SUCCESS", 1);

		assertThat(this.meters.contribute(execution)).isEmpty();
	}

	@Test
	void histogramsCarryTheirHelpText() {
		JobExecution execution = pushedExecution();
		inStep(execution, "importStep");

		observe("spring.batch.item.process", "SUCCESS", 1);

		assertThat(histogram(this.meters.contribute(execution), "batch_item_process_seconds").getMetadata().getHelp())
			.isEqualTo("Time Spring Batch took to process an item, by step and status.");
	}

	/** Observes as ChunkOrientedStep does: started, its status set, stopped. */
	private void observe(String name, String status, int times) {
		for (int i = 0; i < times; i++) {
			Observation observation = Observation.createNotStarted(name, this.observations)
				.lowCardinalityKeyValue(name + ".step.name", "ignored")
				.start();
			if (status != null) {
				observation.lowCardinalityKeyValue(name + ".status", status);
			}
			observation.stop();
		}
	}

	private static void inStep(JobExecution execution, String stepName) {
		StepSynchronizationManager.release();
		StepSynchronizationManager.register(new StepExecution(1L, stepName, execution));
	}

	private JobExecution pushedExecution() {
		JobExecution execution = execution();
		this.pushed.add(execution);
		return execution;
	}

	private static JobExecution execution() {
		JobExecution execution = new JobExecution(1L, new JobInstance(1L, "importJob"), new JobParameters());
		execution.setStartTime(LocalDateTime.now());
		execution.setStatus(BatchStatus.STARTED);
		return execution;
	}

	private static HistogramSnapshot histogram(Collection<MetricSnapshot> metrics, String name) {
		return metrics.stream()
			.filter((metric) -> metric.getMetadata().getPrometheusName().equals(name))
			.map(HistogramSnapshot.class::cast)
			.findFirst()
			.orElseThrow(() -> new AssertionError("No histogram " + name + " in " + metrics));
	}

	private static HistogramDataPointSnapshot point(Collection<MetricSnapshot> metrics, String name, String step,
			String status) {
		return histogram(metrics, name).getDataPoints()
			.stream()
			.filter((point) -> step.equals(point.getLabels().get("step"))
					&& status.equals(point.getLabels().get("status")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No " + name + "{step=" + step + ",status=" + status + "}"));
	}

	private static List<Double> upperBounds(HistogramDataPointSnapshot point) {
		return point.getClassicBuckets().stream().map(ClassicHistogramBucket::getUpperBound).toList();
	}

}
