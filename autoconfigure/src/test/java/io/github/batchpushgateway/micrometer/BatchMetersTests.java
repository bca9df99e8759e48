package io.github.batchpushgateway.micrometer;

import java.time.LocalDateTime;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.scope.context.JobSynchronizationManager;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.StepExecution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link BatchMeters}: one registry per running execution the starter pushes, found through the
 * calling thread's step or job context, dropped when the execution's end is taken in.
 */
class BatchMetersTests {

	private final Set<JobExecution> pushed = Collections.newSetFromMap(new IdentityHashMap<>());

	private final BatchMeters meters = new BatchMeters(this.pushed::contains);

	@AfterEach
	void releaseContexts() {
		StepSynchronizationManager.release();
		JobSynchronizationManager.release();
	}

	@Test
	void recordsInTheRegistryOfTheExecutionWhoseStepRunsOnTheThread() {
		JobExecution execution = pushedExecution("importJob");
		StepSynchronizationManager.register(new StepExecution(7L, "importStep", execution));

		this.meters.registry().counter("records.exported").increment(3);

		assertThat(counter(this.meters.contribute(execution), "records_exported")).isEqualTo(3);
	}

	@Test
	void findsTheExecutionThroughTheJobContextOutsideSteps() {
		JobExecution execution = pushedExecution("importJob");
		JobSynchronizationManager.register(execution);

		this.meters.registry().counter("records.exported").increment();

		assertThat(counter(this.meters.contribute(execution), "records_exported")).isEqualTo(1);
	}

	@Test
	void failsOutsideAnyExecution() {
		assertThatIllegalStateException().isThrownBy(this.meters::registry)
			.withMessageContaining("No Spring Batch job execution runs on this thread");
	}

	@Test
	void executionsWithTheSameIdHaveRegistriesOfTheirOwn() {
		// The resourceless job repository gives every execution the same id.
		JobExecution first = pushedExecution("importJob", 1L);
		JobExecution second = pushedExecution("importJob", 1L);

		this.meters.registry(first).counter("records.exported").increment(5);
		this.meters.registry(second).counter("records.exported").increment();

		assertThat(counter(this.meters.contribute(first), "records_exported")).isEqualTo(5);
		assertThat(counter(this.meters.contribute(second), "records_exported")).isEqualTo(1);
	}

	@Test
	void executionsTheStarterDoesNotPushRecordNothingAndKeepNothing() {
		JobExecution excluded = new JobExecution(3L, new JobInstance(3L, "excludedJob"), new JobParameters());

		MeterRegistry registry = this.meters.registry(excluded);
		registry.counter("records.exported").increment();

		assertThat(registry.get("records.exported").counter().count()).isZero();
		assertThat(this.meters.contribute(excluded)).isEmpty();
		assertThat(this.meters.liveRegistries()).isZero();
	}

	@Test
	void endedExecutionKeepsItsFinalMetersButNotItsRegistry() {
		JobExecution execution = pushedExecution("importJob");
		this.meters.registry(execution).counter("records.exported").increment(4);

		this.pushed.remove(execution);
		this.meters.executionEnded(execution);
		this.meters.registry(execution).counter("records.exported").increment();

		assertThat(this.meters.liveRegistries()).isZero();
		assertThat(counter(this.meters.contribute(execution), "records_exported")).isEqualTo(4);
	}

	@Test
	void aNameThatClashesWithTheStartersMetricsFailsFast() {
		JobExecution execution = pushedExecution("importJob");
		MeterRegistry registry = this.meters.registry(execution);

		assertThatIllegalArgumentException().isThrownBy(() -> registry.counter("batch.step.read.items"))
			.withMessageContaining("'batch_step_read_items'")
			.withMessageContaining("clashes with the metrics batch-pushgateway pushes itself");
		assertThatIllegalArgumentException().isThrownBy(() -> registry.gauge("batch_job_running", 1))
			.withMessageContaining("'batch_job_running'");
		assertThatIllegalArgumentException().isThrownBy(() -> registry.gauge("push.time.seconds", 1))
			.withMessageContaining("'push_time_seconds'");
		registry.counter("batch.jobs.imported").increment();
		assertThat(counter(this.meters.contribute(execution), "batch_jobs_imported")).isEqualTo(1);
	}

	@Test
	void metersWithoutDescriptionGetAHelpTextAndDescriptionsBecomeHelpTexts() {
		JobExecution execution = pushedExecution("importJob");
		MeterRegistry registry = this.meters.registry(execution);

		registry.counter("records.exported").increment();
		Counter.builder("records.skipped").description("Records skipped as invalid.").register(registry).increment();

		assertThat(help(this.meters.contribute(execution), "records_exported"))
			.isEqualTo("Meter records.exported recorded by the job.");
		assertThat(help(this.meters.contribute(execution), "records_skipped")).isEqualTo("Records skipped as invalid.");
	}

	private static String help(Collection<MetricSnapshot> metrics, String name) {
		return metrics.stream()
			.filter((metric) -> metric.getMetadata().getPrometheusName().equals(name))
			.findFirst()
			.orElseThrow()
			.getMetadata()
			.getHelp();
	}

	private JobExecution pushedExecution(String jobName) {
		return pushedExecution(jobName, 1L);
	}

	private JobExecution pushedExecution(String jobName, long id) {
		JobExecution execution = new JobExecution(id, new JobInstance(id, jobName), new JobParameters());
		execution.setStartTime(LocalDateTime.now());
		execution.setStatus(BatchStatus.STARTED);
		this.pushed.add(execution);
		return execution;
	}

	private static double counter(Collection<MetricSnapshot> metrics, String name) {
		return metrics.stream()
			.filter((metric) -> metric.getMetadata().getPrometheusName().equals(name))
			.map(CounterSnapshot.class::cast)
			.findFirst()
			.orElseThrow(() -> new AssertionError("No counter " + name + " in " + metrics))
			.getDataPoints()
			.get(0)
			.getValue();
	}

}
