package io.github.batchpushgateway.metrics;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import io.github.batchpushgateway.metrics.JobHistory.FinishedRun;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JobMetricsSnapshotFactory}.
 */
class JobMetricsSnapshotFactoryTests {

	private final JobMetricsSnapshotFactory factory = new JobMetricsSnapshotFactory(List::of);

	private final JobSchedule schedule = new JobSchedule(Duration.ofSeconds(10), null);

	@Test
	void withNothingRunningTheShownRunGivesStatusAndExitCode() {
		FinishedRun interrupted = new FinishedRun(Instant.ofEpochSecond(100), Instant.ofEpochSecond(160),
				BatchStatus.UNKNOWN, "INTERRUPTED", null);

		MetricSnapshots metrics = this.factory
			.create(new JobState(0, null, JobHistory.EMPTY.with(interrupted), Instant.ofEpochSecond(150), this.schedule));

		assertThat(statusShown(metrics)).isEqualTo("UNKNOWN");
		assertThat(exitCode(metrics)).isEqualTo("INTERRUPTED");
		assertThat(gauge(metrics, "batch_job_running")).isEqualTo(0);
		assertThat(gauge(metrics, "batch_job_duration_seconds")).isEqualTo(60);
		assertThat(gauge(metrics, "batch_job_last_progress_timestamp_seconds")).isEqualTo(150);
		assertThat(names(metrics)).doesNotContain("batch_job_last_success_timestamp_seconds",
				"batch_job_stall_timeout_seconds", "batch_job_max_duration_seconds");
	}

	@Test
	void aRunningExecutionWhoseOutcomeIsSetButNotYetTakenInShowsRunningNotAnOutcomeWithoutItsTime() {
		// Spring Batch has set COMPLETED and saved it, and is calling the afterJob listeners
		JobExecution ending = new JobExecution(7L, new JobInstance(7L, "importJob"), new JobParameters());
		ending.setStartTime(LocalDateTime.now().minusSeconds(5));
		ending.setStatus(BatchStatus.COMPLETED);
		ending.setExitStatus(ExitStatus.COMPLETED);
		ending.setEndTime(LocalDateTime.now());

		MetricSnapshots metrics = this.factory.create(new JobState(1, ending, JobHistory.EMPTY, null, this.schedule));

		assertThat(statusShown(metrics)).isEqualTo("STARTED");
		assertThat(exitCode(metrics)).isEqualTo("UNKNOWN");
		assertThat(names(metrics)).doesNotContain("batch_job_last_success_timestamp_seconds");
	}

	@Test
	void aRunningExecutionLeftStoppingWithAnEndTimeShowsRunningAsAnyOtherInItsAfterJob() {
		// a stop request landed after the job's thread had set the end: the outcome is its own
		JobExecution ending = new JobExecution(8L, new JobInstance(8L, "importJob"), new JobParameters());
		ending.setStartTime(LocalDateTime.now().minusSeconds(5));
		ending.setStatus(BatchStatus.STOPPING);
		ending.setExitStatus(ExitStatus.COMPLETED);
		ending.setEndTime(LocalDateTime.now());

		MetricSnapshots metrics = this.factory.create(new JobState(1, ending, JobHistory.EMPTY, null, this.schedule));

		assertThat(statusShown(metrics)).isEqualTo("STARTED");
		assertThat(exitCode(metrics)).isEqualTo("UNKNOWN");
	}

	@Test
	void configuredLimitsArePushedForTheAlertRules() {
		JobSchedule limits = new JobSchedule(Duration.ofSeconds(10), Duration.ofDays(1), Duration.ofMinutes(5),
				Duration.ofHours(2));

		MetricSnapshots metrics = this.factory.create(new JobState(3, null, JobHistory.EMPTY, null, limits));

		assertThat(gauge(metrics, "batch_job_running")).isEqualTo(3);
		assertThat(gauge(metrics, "batch_job_stall_timeout_seconds")).isEqualTo(300);
		assertThat(gauge(metrics, "batch_job_max_duration_seconds")).isEqualTo(7200);
		assertThat(gauge(metrics, "batch_job_expected_interval_seconds")).isEqualTo(86400);
	}

	@Test
	void partitionsRunHereAreSummedUpUnderTheirPartitionStepToo() {
		// given a local partition step whose partitions run here, one of them done
		JobExecution running = PartitionedExecutions.running();
		StepExecution manager = PartitionedExecutions.manager(running, "manager", 0);
		StepExecution done = PartitionedExecutions.step(running, "worker:partition0", manager.getStartTime(),
				BatchStatus.COMPLETED);
		done.setWriteCount(70);
		StepExecution going = PartitionedExecutions.step(running, "worker:partition1", manager.getStartTime(),
				BatchStatus.STARTED);
		going.setWriteCount(30);
		going.setLastUpdated(LocalDateTime.now());

		// when
		MetricSnapshots metrics = this.factory.create(new JobState(1, running, JobHistory.EMPTY, null,
				new JobSchedule(Duration.ofSeconds(10), null, Duration.ofMinutes(1), null)));

		// then one step, the sum of its partitions, and the partitions counted by status
		CounterSnapshot written = (CounterSnapshot) find(metrics, "batch_step_written_items");
		assertThat(written.getDataPoints()).singleElement().satisfies((point) -> {
			assertThat(point.getLabels().get("step")).isEqualTo("manager");
			assertThat(point.getValue()).isEqualTo(100);
		});
		assertThat(((GaugeSnapshot) find(metrics, "batch_step_partitions")).getDataPoints())
			.hasSize(BatchStatus.values().length)
			.filteredOn((point) -> point.getValue() == 1)
			.extracting((point) -> point.getLabels().get("status"))
			.containsExactlyInAnyOrder("COMPLETED", "STARTED");
		assertThat(gauge(metrics, "batch_step_partitions_stalled")).isZero();
		assertThat(names(metrics)).contains("batch_step_stalest_partition_progress_timestamp_seconds");
	}

	@Test
	void aJobWithoutPartitionsPushesNoPartitionMetrics() {
		JobExecution running = PartitionedExecutions.running();
		PartitionedExecutions.manager(running, "load", 0);

		MetricSnapshots metrics = this.factory.create(new JobState(1, running, JobHistory.EMPTY, null, this.schedule));

		assertThat(names(metrics)).contains("batch_step_status")
			.noneMatch((name) -> name.startsWith("batch_step_partitions")
					|| name.startsWith("batch_step_stalest_partition"));
	}

	@Test
	void aScheduleIsPushedAsTheNextExpectedStartAndItsDeadlineAfterTheGracePeriod() {
		StartSchedule everyMinute = new StartSchedule("0 * * * * *", ZoneId.of("UTC"), Duration.ofSeconds(90));
		JobSchedule schedule = new JobSchedule(Duration.ofSeconds(10), null, null, null, everyMinute, null);
		long before = Instant.now().getEpochSecond();

		MetricSnapshots metrics = this.factory.create(new JobState(0, null, JobHistory.EMPTY, null, schedule));

		double nextStart = gauge(metrics, "batch_job_next_expected_start_timestamp_seconds");
		assertThat(nextStart % 60).as("on the minute").isZero();
		assertThat(nextStart).isGreaterThan(before).isLessThanOrEqualTo(before + 60);
		assertThat(gauge(metrics, "batch_job_next_start_deadline_timestamp_seconds")).isEqualTo(nextStart + 90);
	}

	@Test
	void withoutAScheduleNoExpectedStartIsPushed() {
		MetricSnapshots metrics = this.factory.create(new JobState(0, null, JobHistory.EMPTY, null, this.schedule));

		assertThat(names(metrics)).doesNotContain("batch_job_next_expected_start_timestamp_seconds",
				"batch_job_next_start_deadline_timestamp_seconds");
	}

	@Test
	void aCompletedRunBelowItsItemMinimumIsPushedAsEmpty() {
		JobSchedule atLeastTen = new JobSchedule(Duration.ofSeconds(10), null, null, null, null,
				new ItemMinimum(10, Map.of()));

		MetricSnapshots empty = this.factory
			.create(new JobState(0, null, JobHistory.EMPTY.with(finished(BatchStatus.COMPLETED, 9)), null, atLeastTen));
		MetricSnapshots full = this.factory
			.create(new JobState(0, null, JobHistory.EMPTY.with(finished(BatchStatus.COMPLETED, 10)), null, atLeastTen));

		assertThat(gauge(empty, "batch_job_last_run_empty")).isEqualTo(1);
		assertThat(gauge(full, "batch_job_last_run_empty")).isZero();
	}

	@Test
	void aFailedOrRunningRunIsNotEmptyWhateverItsCounts() {
		JobSchedule atLeastTen = new JobSchedule(Duration.ofSeconds(10), null, null, null, null,
				new ItemMinimum(10, Map.of()));
		JobHistory lastRunEmpty = JobHistory.EMPTY.with(finished(BatchStatus.COMPLETED, 0));
		JobExecution running = PartitionedExecutions.running();
		PartitionedExecutions.manager(running, "load", 0);

		MetricSnapshots failed = this.factory
			.create(new JobState(0, null, JobHistory.EMPTY.with(finished(BatchStatus.FAILED, 0)), null, atLeastTen));
		MetricSnapshots nextRunGoing = this.factory.create(new JobState(1, running, lastRunEmpty, null, atLeastTen));

		assertThat(gauge(failed, "batch_job_last_run_empty")).as("a failure is its own alert").isZero();
		assertThat(gauge(nextRunGoing, "batch_job_last_run_empty")).as("the run shown is the one going on").isZero();
	}

	@Test
	void withoutAnItemMinimumNoEmptyRunFlagIsPushed() {
		MetricSnapshots metrics = this.factory.create(new JobState(0, null,
				JobHistory.EMPTY.with(finished(BatchStatus.COMPLETED, 0)), null, this.schedule));

		assertThat(names(metrics)).doesNotContain("batch_job_last_run_empty");
	}

	@Test
	void eachStepsSamplesCarryItsOwnLabelsWhenTheyAreKeptAndBeyondTheKeptNumber() {
		// given a run with more steps than the factory keeps labels for
		JobExecution running = PartitionedExecutions.running();
		int steps = JobMetricsSnapshotFactory.CACHED_STEPS + 3;
		for (int i = 0; i < steps; i++) {
			StepExecution step = PartitionedExecutions.manager(running, "step" + i, 0);
			step.setStatus((i % 2 == 0) ? BatchStatus.COMPLETED : BatchStatus.FAILED);
			step.setReadSkipCount(i);
		}

		// when it is pushed twice
		this.factory.create(new JobState(1, running, JobHistory.EMPTY, null, this.schedule));
		MetricSnapshots metrics = this.factory.create(new JobState(1, running, JobHistory.EMPTY, null, this.schedule));

		// then every step shows its own status and counts, and the kept labels stay bounded
		for (int i : new int[] { 0, 1, JobMetricsSnapshotFactory.CACHED_STEPS + 1, JobMetricsSnapshotFactory.CACHED_STEPS + 2 }) {
			String step = "step" + i;
			assertThat(((GaugeSnapshot) find(metrics, "batch_step_status")).getDataPoints()
				.stream()
				.filter((point) -> point.getLabels().get("step").equals(step) && point.getValue() == 1)
				.map((point) -> point.getLabels().get("status"))).containsExactly((i % 2 == 0) ? "COMPLETED" : "FAILED");
			assertThat(((CounterSnapshot) find(metrics, "batch_step_skipped_items")).getDataPoints()
				.stream()
				.filter((point) -> point.getLabels().get("step").equals(step) && point.getLabels().get("phase").equals("read"))
				.map(CounterSnapshot.CounterDataPointSnapshot::getValue)).containsExactly((double) i);
		}
		assertThat(this.factory.cachedSteps()).isEqualTo(JobMetricsSnapshotFactory.CACHED_STEPS);
	}

	@Test
	void eachFamilysNameAndHelpAreMadeOnceAndSharedByEveryPush() {
		// given a running execution with a step
		JobExecution running = PartitionedExecutions.running();
		PartitionedExecutions.manager(running, "load", 0);

		// when it is pushed twice
		MetricSnapshots first = this.factory.create(new JobState(1, running, JobHistory.EMPTY, null, this.schedule));
		MetricSnapshots second = this.factory.create(new JobState(1, running, JobHistory.EMPTY, null, this.schedule));

		// then each family of the second push carries the first push's metadata, not a copy
		assertThat(first.size()).isEqualTo(second.size()).isGreaterThan(10);
		for (int i = 0; i < first.size(); i++) {
			assertThat(second.get(i).getMetadata()).isSameAs(first.get(i).getMetadata());
		}
		assertThat(find(second, "batch_step_read_items").getMetadata().getHelp())
			.isEqualTo("Items read by each step of the current execution.");
	}

	@Test
	void pushesShowingTheSameJobStatusExitCodeAndStepStatusesShareThoseFamiliesAndOthersShowTheirOwn() {
		// given a finished run and a running execution of two steps, one completed, one failed
		JobHistory history = JobHistory.EMPTY.with(finished(BatchStatus.FAILED, 3));
		JobExecution running = PartitionedExecutions.running();
		StepExecution load = PartitionedExecutions.manager(running, "load", 0);
		StepExecution report = PartitionedExecutions.manager(running, "report", 1);
		load.setStatus(BatchStatus.COMPLETED);
		report.setStatus(BatchStatus.FAILED);

		// when it is pushed twice alike, then once after a step's status changed
		MetricSnapshots first = this.factory.create(new JobState(1, running, history, null, this.schedule));
		MetricSnapshots second = this.factory.create(new JobState(1, running, history, null, this.schedule));
		report.setStatus(BatchStatus.COMPLETED);
		MetricSnapshots third = this.factory.create(new JobState(1, running, history, null, this.schedule));

		// then pushes that show the same share the families; one that shows another status has its own
		for (String family : List.of("batch_job_status", "batch_job_exit", "batch_step_status")) {
			assertThat(find(second, family)).as(family).isSameAs(find(first, family));
		}
		assertThat(stepStatuses(second)).containsExactly("load=COMPLETED", "report=FAILED");
		assertThat(find(third, "batch_step_status")).isNotSameAs(find(second, "batch_step_status"));
		assertThat(stepStatuses(third)).containsExactly("load=COMPLETED", "report=COMPLETED");

		// and a push that shows another job status or exit code shows its own
		MetricSnapshots idle = this.factory.create(new JobState(0, null, history, null, this.schedule));
		assertThat(statusShown(idle)).isEqualTo("FAILED");
		assertThat(exitCode(idle)).isEqualTo("FAILED");
		assertThat(statusShown(third)).isEqualTo("STARTED");
		assertThat(exitCode(third)).isEqualTo("UNKNOWN");
	}

	@Test
	void twoJobsPushedInTurnWithStepsOfTheSameNamesEachShowAndKeepTheirOwnStepStatuses() {
		// given two jobs whose steps have the same names, and different statuses
		JobExecution grid = PartitionedExecutions.running();
		PartitionedExecutions.manager(grid, "load", 0).setStatus(BatchStatus.COMPLETED);
		JobExecution other = new JobExecution(grid.getId() + 1000, new JobInstance(grid.getId() + 1000, "otherJob"),
				new JobParameters());
		other.setStartTime(PartitionedExecutions.START);
		other.setStatus(BatchStatus.STARTED);
		PartitionedExecutions.manager(other, "load", 0).setStatus(BatchStatus.FAILED);

		// when each is pushed in turn, twice
		MetricSnapshots gridFirst = this.factory.create(new JobState(1, grid, JobHistory.EMPTY, null, this.schedule));
		MetricSnapshots otherFirst = this.factory.create(new JobState(1, other, JobHistory.EMPTY, null, this.schedule));
		MetricSnapshots gridSecond = this.factory.create(new JobState(1, grid, JobHistory.EMPTY, null, this.schedule));
		MetricSnapshots otherSecond = this.factory.create(new JobState(1, other, JobHistory.EMPTY, null, this.schedule));

		// then each shows its own step's status, and each job's second push shares its first's family
		assertThat(stepStatuses(otherFirst)).containsExactly("load=FAILED");
		assertThat(stepStatuses(gridSecond)).containsExactly("load=COMPLETED");
		assertThat(find(gridSecond, "batch_step_status")).isSameAs(find(gridFirst, "batch_step_status"));
		assertThat(find(otherSecond, "batch_step_status")).isSameAs(find(otherFirst, "batch_step_status"));
	}

	@Test
	void eachRunShowsItsOwnExitCodeWhenItsFamilyIsKeptAndBeyondTheKeptNumber() {
		// given runs that end with more exit codes than the factory keeps families for
		int codes = JobMetricsSnapshotFactory.CACHED_EXIT_CODES + 3;

		// when each is pushed, twice
		for (int i = 0; i < codes; i++) {
			JobHistory history = JobHistory.EMPTY.with(new FinishedRun(Instant.parse("2026-01-01T02:00:00Z"),
					Instant.parse("2026-01-01T02:01:00Z"), BatchStatus.COMPLETED, "CODE_" + i, null));
			this.factory.create(new JobState(0, null, history, null, this.schedule));
			MetricSnapshots metrics = this.factory.create(new JobState(0, null, history, null, this.schedule));

			// then each push shows its own run's exit code, and the kept families stay bounded
			assertThat(exitCode(metrics)).isEqualTo("CODE_" + i);
		}
		assertThat(this.factory.cachedExitCodes()).isEqualTo(JobMetricsSnapshotFactory.CACHED_EXIT_CODES);
	}

	/** Each step's status, as {@code step=STATUS}, in the family's order. */
	private static List<String> stepStatuses(MetricSnapshots metrics) {
		return ((GaugeSnapshot) find(metrics, "batch_step_status")).getDataPoints()
			.stream()
			.filter((point) -> point.getValue() == 1)
			.map((point) -> point.getLabels().get("step") + "=" + point.getLabels().get("status"))
			.toList();
	}

	/** A run of one step that read and wrote the given number of items. */
	private static FinishedRun finished(BatchStatus status, long items) {
		JobExecution execution = PartitionedExecutions.running();
		StepExecution step = PartitionedExecutions.manager(execution, "load", 0);
		step.setReadCount(items);
		step.setWriteCount(items);
		step.setStatus(status);
		step.setEndTime(PartitionedExecutions.START.plusMinutes(1));
		execution.setStatus(status);
		execution.setExitStatus(new ExitStatus(status.name()));
		execution.setEndTime(PartitionedExecutions.START.plusMinutes(1));
		FinishedRun run = FinishedRun.of(execution);
		assertThat(run).isNotNull();
		return run;
	}

	private static List<String> names(MetricSnapshots metrics) {
		return metrics.stream().map((metric) -> metric.getMetadata().getPrometheusName()).toList();
	}

	private static double gauge(MetricSnapshots metrics, String name) {
		return ((GaugeSnapshot) find(metrics, name)).getDataPoints().get(0).getValue();
	}

	private static MetricSnapshot find(MetricSnapshots metrics, String name) {
		return metrics.stream()
			.filter((metric) -> metric.getMetadata().getPrometheusName().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError(name + " missing"));
	}

	private static String statusShown(MetricSnapshots metrics) {
		return ((GaugeSnapshot) find(metrics, "batch_job_status")).getDataPoints()
			.stream()
			.filter((point) -> point.getValue() == 1)
			.map((point) -> point.getLabels().get("status"))
			.findFirst()
			.orElseThrow();
	}

	private static String exitCode(MetricSnapshots metrics) {
		return ((InfoSnapshot) find(metrics, "batch_job_exit")).getDataPoints().get(0).getLabels().get("exit_code");
	}

}
