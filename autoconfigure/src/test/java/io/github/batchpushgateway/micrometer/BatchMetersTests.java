package io.github.batchpushgateway.micrometer;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
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

/**
 * {@link BatchMeters}: one registry per running execution the starter pushes, found through the
 * calling thread's step or job context, dropped when the execution's end is taken in; and one
 * registry for job code that routes recordings to the execution running on the recording thread.
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
	void aCounterRegisteredOutsideAnyExecutionRecordsIntoTheExecutionRunningWhenItIsUsed() {
		// given a counter registered once, as in a singleton's constructor
		Counter exported = this.meters.registry().counter("records.exported");
		exported.increment(100);
		JobExecution first = pushedExecution("importJob", 1L);
		JobExecution second = pushedExecution("importJob", 2L);

		// when two runs use it
		StepSynchronizationManager.register(new StepExecution(7L, "importStep", first));
		exported.increment(3);
		StepSynchronizationManager.close();
		StepSynchronizationManager.register(new StepExecution(8L, "importStep", second));
		exported.increment(5);

		// then each run's group has its own count, and what was recorded outside any run is in none
		assertThat(counter(this.meters.contribute(first), "records_exported")).isEqualTo(3);
		assertThat(counter(this.meters.contribute(second), "records_exported")).isEqualTo(5);
	}

	@Test
	void timersAndSummariesKeptInFieldsRecordIntoTheRunningExecutionWithTheirSettings() {
		Timer render = Timer.builder("record.render").serviceLevelObjectives(Duration.ofMillis(10))
			.register(this.meters.registry());
		DistributionSummary size = DistributionSummary.builder("record.size").baseUnit("bytes")
			.register(this.meters.registry());
		JobExecution execution = pushedExecution("importJob");
		StepSynchronizationManager.register(new StepExecution(7L, "importStep", execution));

		render.record(Duration.ofMillis(5));
		size.record(2048);

		Collection<MetricSnapshot> metrics = this.meters.contribute(execution);
		assertThat(names(metrics)).contains("record_render_seconds", "record_size_bytes");
		assertThat(render.count()).isEqualTo(1);
		assertThat(size.totalAmount()).isEqualTo(2048);
	}

	@Test
	void recordingsOutsideAnyPushedExecutionAreDropped() {
		Counter exported = this.meters.registry().counter("records.exported");

		exported.increment();
		Timer.builder("record.render").register(this.meters.registry()).record(() -> "rendered");

		assertThat(exported.count()).isZero();
		assertThat(this.meters.liveRegistries()).isZero();
	}

	@Test
	void aGaugeRegisteredOnceIsSampledInEveryExecutionsGroup() {
		// given one execution running before the gauge is registered, and one that starts after
		JobExecution running = pushedExecution("importJob", 1L);
		this.meters.registry(running);
		AtomicInteger backlog = new AtomicInteger(7);
		this.meters.registry().gauge("export.backlog", backlog);
		JobExecution later = pushedExecution("importJob", 2L);

		backlog.set(9);

		assertThat(gauge(this.meters.contribute(running), "export_backlog")).isEqualTo(9);
		assertThat(gauge(this.meters.contribute(later), "export_backlog")).isEqualTo(9);
	}

	@Test
	void aRunWhoseOnlyPushIsItsEndStillShowsTheGaugesRegisteredOnce() {
		this.meters.registry().gauge("export.backlog", new AtomicInteger(7));
		JobExecution execution = pushedExecution("importJob");

		// its end is taken in before the group's state is built for its one push
		this.pushed.remove(execution);
		this.meters.executionEnded(execution);

		assertThat(gauge(this.meters.contribute(execution), "export_backlog")).isEqualTo(7);
	}

	@Test
	void aGaugeRegisteredDuringAJobsRunIsSampledForThatJobOnly() {
		JobExecution importing = pushedExecution("importJob", 1L);
		JobSynchronizationManager.register(importing);
		this.meters.registry().gauge("export.backlog", new AtomicInteger(7));
		JobSynchronizationManager.close();
		JobExecution nextImport = pushedExecution("importJob", 2L);
		JobExecution cleanup = pushedExecution("cleanupJob", 3L);

		assertThat(gauge(this.meters.contribute(importing), "export_backlog")).isEqualTo(7);
		assertThat(gauge(this.meters.contribute(nextImport), "export_backlog")).isEqualTo(7);
		assertThat(names(this.meters.contribute(cleanup))).doesNotContain("export_backlog");
	}

	@Test
	void eachExecutionsRegistryGetsTheApplicationsSettingsBeforeTheGroupsOwnChecks() {
		BatchMeters configured = new BatchMeters(this.pushed::contains,
				(registry) -> registry.config()
					.commonTags("region", "eu")
					.meterFilter(MeterFilter.renameTag("records.exported", "kind", "type")));
		JobExecution execution = pushedExecution("importJob");
		StepSynchronizationManager.register(new StepExecution(7L, "importStep", execution));

		configured.registry().counter("records.exported", "kind", "invoice").increment();

		CounterSnapshot counter = (CounterSnapshot) configured.contribute(execution).stream()
			.filter((metric) -> metric.getMetadata().getPrometheusName().equals("records_exported"))
			.findFirst()
			.orElseThrow();
		assertThat(counter.getDataPoints().get(0).getLabels().get("region")).isEqualTo("eu");
		assertThat(counter.getDataPoints().get(0).getLabels().get("type")).isEqualTo("invoice");
	}

	@Test
	void aNameTheApplicationsFiltersTurnIntoAStarterNameIsDroppedWithoutFailingTheJob() {
		BatchMeters renaming = new BatchMeters(this.pushed::contains, (registry) -> registry.config()
			.meterFilter(new MeterFilter() {
				@Override
				public Meter.Id map(Meter.Id id) {
					return id.withName("batch.step.read.items");
				}
			}));
		JobExecution execution = pushedExecution("importJob");
		StepSynchronizationManager.register(new StepExecution(7L, "importStep", execution));

		renaming.registry().counter("records.exported").increment();

		assertThat(renaming.contribute(execution)).isEmpty();
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

	private static List<String> names(Collection<MetricSnapshot> metrics) {
		return metrics.stream().map((metric) -> metric.getMetadata().getPrometheusName()).toList();
	}

	private static double gauge(Collection<MetricSnapshot> metrics, String name) {
		return metrics.stream()
			.filter((metric) -> metric.getMetadata().getPrometheusName().equals(name))
			.map((metric) -> ((GaugeSnapshot) metric).getDataPoints().get(0).getValue())
			.findFirst()
			.orElseThrow();
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
