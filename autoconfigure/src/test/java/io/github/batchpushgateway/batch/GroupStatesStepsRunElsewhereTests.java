package io.github.batchpushgateway.batch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.batchpushgateway.metrics.JobMetricsSnapshotFactory;
import io.github.batchpushgateway.metrics.JobSchedule;
import io.github.batchpushgateway.metrics.StepSample;
import io.github.batchpushgateway.push.PushGroup;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;

/**
 * Tests for {@link GroupStates} with partitions run in other JVMs: their truth is read from a
 * mocked job repository, in one statement per push, and summed up under their manager step.
 */
class GroupStatesStepsRunElsewhereTests {

	private static final PushGroup GROUP = PushGroup.of("gridJob");

	private final JobRepository repository = mock(JobRepository.class);

	private final JdbcStepExecutions stepExecutions = mock(JdbcStepExecutions.class);

	private final PushGroupResolver resolver = new PushGroupResolver(Map.of(), List.of());

	private Instant now = Instant.parse("2026-11-30T10:00:00Z");

	private final GroupStates groups = new GroupStates(this.resolver, 10,
			new JobRepositoryReads(this.repository, this.resolver, 0, this.stepExecutions),
			new JobMetricsSnapshotFactory(List::of),
			(job) -> new JobSchedule(Duration.ofSeconds(10), null, Duration.ofSeconds(60), null), new Clock() {
				@Override
				public Instant instant() {
					return GroupStatesStepsRunElsewhereTests.this.now;
				}

				@Override
				public ZoneId getZone() {
					return ZoneId.systemDefault();
				}

				@Override
				public Clock withZone(ZoneId zone) {
					return this;
				}
			});

	private final JobExecution execution = Executions.running("gridJob");

	private final StepExecution manager = Executions.step(this.execution, "manager");

	private final StepExecution first = Executions.partition(this.execution, "worker:partition0");

	private final StepExecution second = Executions.partition(this.execution, "worker:partition1");

	private final StepExecution third = Executions.partition(this.execution, "worker:partition2");

	private final Map<Long, StepSample> readings = new HashMap<>();

	@Test
	void aJobWithoutPartitionsRunElsewhereReadsNoSteps() {
		// given a job whose steps, partitions included, all run here
		TrackedExecution tracked = this.groups.track(this.execution);
		this.execution.getStepExecutions().forEach(tracked::stepStarted);
		Executions.step(this.execution, "export");

		// when it is pushed twice, and once more at its end
		push();
		push();
		tracked.end();
		Executions.ended(this.execution, BatchStatus.COMPLETED);
		MetricSnapshots last = push();

		// then nothing was read, and its partitions are still no steps of their own
		then(this.stepExecutions).should(never()).of(anyLong());
		then(this.repository).should(never()).getJobExecution(anyLong());
		assertThat(steps(last)).containsExactlyInAnyOrder("manager", "export");
	}

	@Test
	void partitionsRunElsewhereAreReadOncePerPushAndSummedUnderTheirManager() {
		// given three partitions, two of which a worker runs
		this.groups.track(this.execution);
		read(this.first, BatchStatus.STARTED, 100, 5);
		read(this.second, BatchStatus.COMPLETED, 200, 30);
		read(this.third, BatchStatus.STARTING, 0, 50);
		given(this.stepExecutions.of(this.execution.getId())).willAnswer((invocation) -> Map.copyOf(this.readings));

		// when it is pushed twice
		push();
		MetricSnapshots state = push();

		// then each push read all of them at once, and shows them under the manager only
		then(this.stepExecutions).should(times(2)).of(this.execution.getId());
		assertThat(steps(state)).containsExactly("manager");
		assertThat(value(state, "batch_step_written_items", "step", "manager")).isEqualTo(300);
		assertThat(value(state, "batch_step_partitions", "step", "manager", "status", "STARTED")).isEqualTo(1);
		assertThat(value(state, "batch_step_partitions", "step", "manager", "status", "COMPLETED")).isEqualTo(1);
		assertThat(value(state, "batch_step_partitions", "step", "manager", "status", "STARTING")).isEqualTo(1);
		assertThat(value(state, "batch_step_partitions", "step", "manager", "status", "FAILED")).isZero();
	}

	@Test
	void aPartitionElsewhereNotSavedForTheStallTimeoutIsCountedStalled() {
		this.groups.track(this.execution);
		read(this.first, BatchStatus.STARTED, 100, 5);
		read(this.second, BatchStatus.STARTED, 40, 200);
		read(this.third, BatchStatus.STARTED, 0, 50);
		given(this.stepExecutions.of(this.execution.getId())).willAnswer((invocation) -> Map.copyOf(this.readings));

		MetricSnapshots state = push();

		assertThat(value(state, "batch_step_partitions_stalled", "step", "manager")).isEqualTo(1);
		assertThat(value(state, "batch_step_stalest_partition_progress_timestamp_seconds", "step", "manager"))
			.isEqualTo(this.readings.get(this.second.getId()).lastUpdated().atZone(ZoneId.systemDefault())
				.toEpochSecond(), org.assertj.core.data.Offset.offset(0.001));
	}

	@Test
	void lastProgressMovesWhenAPartitionElsewhereCommitsAndOnlyThen() {
		// given a first push
		this.groups.track(this.execution);
		read(this.first, BatchStatus.STARTED, 100, 5);
		given(this.stepExecutions.of(this.execution.getId())).willAnswer((invocation) -> Map.copyOf(this.readings));
		push();
		Instant firstPush = this.now;

		// when the repository shows the same counts 30 s later, then more 30 s after that
		this.now = this.now.plusSeconds(30);
		MetricSnapshots idle = push();
		this.now = this.now.plusSeconds(30);
		read(this.first, BatchStatus.STARTED, 150, 1);
		MetricSnapshots moved = push();

		// then
		assertThat(value(idle, "batch_job_last_progress_timestamp_seconds")).isEqualTo(firstPush.getEpochSecond());
		assertThat(value(moved, "batch_job_last_progress_timestamp_seconds")).isEqualTo(this.now.getEpochSecond());
	}

	@Test
	void onceEveryPartitionElsewhereFinishedNothingMoreIsRead() {
		this.groups.track(this.execution);
		read(this.first, BatchStatus.COMPLETED, 100, 5);
		read(this.second, BatchStatus.COMPLETED, 100, 5);
		read(this.third, BatchStatus.FAILED, 10, 5);
		given(this.stepExecutions.of(this.execution.getId())).willAnswer((invocation) -> Map.copyOf(this.readings));

		push();
		MetricSnapshots later = push();

		then(this.stepExecutions).should(times(1)).of(this.execution.getId());
		assertThat(value(later, "batch_step_partitions", "step", "manager", "status", "FAILED")).isEqualTo(1);
	}

	@Test
	void theEndShowsPartitionsAsTheRepositoryHoldsThemAndOneThatEndsLaterIsReadUntilItDoes() {
		// given a job that ends (its manager timed out) while a partition still runs elsewhere
		TrackedExecution tracked = this.groups.track(this.execution);
		read(this.first, BatchStatus.COMPLETED, 100, 5);
		read(this.second, BatchStatus.COMPLETED, 100, 5);
		read(this.third, BatchStatus.STARTED, 60, 5);
		given(this.stepExecutions.of(this.execution.getId())).willAnswer((invocation) -> Map.copyOf(this.readings));
		this.manager.setStatus(BatchStatus.FAILED);
		this.manager.setEndTime(LocalDateTime.now());
		tracked.end();
		Executions.ended(this.execution, BatchStatus.FAILED);

		// when its final push is built
		MetricSnapshots last = push();
		GroupState state = this.groups.get(GROUP);

		// then it shows the partitions as the repository holds them, and the group awaits the last
		assertThat(value(last, "batch_step_partitions", "step", "manager", "status", "STARTED")).isEqualTo(1);
		assertThat(value(last, "batch_step_partitions", "step", "manager", "status", "COMPLETED")).isEqualTo(2);
		assertThat(state.hasExecutions()).isFalse();
		assertThat(state.awaitsStepsRunElsewhere()).isTrue();

		// when the partition ends after its job
		read(this.third, BatchStatus.COMPLETED, 100, 1);
		MetricSnapshots next = push();

		// then the next push shows it, and nothing more is read after that
		assertThat(value(next, "batch_step_partitions", "step", "manager", "status", "COMPLETED")).isEqualTo(3);
		assertThat(value(next, "batch_step_partitions", "step", "manager", "status", "STARTED")).isZero();
		assertThat(state.awaitsStepsRunElsewhere()).isFalse();
		push();
		then(this.stepExecutions).should(times(2)).of(this.execution.getId());
	}

	@Test
	void aPartitionThatNeverEndsIsReadAgainOnlyForABoundedNumberOfPushes() {
		TrackedExecution tracked = this.groups.track(this.execution);
		read(this.first, BatchStatus.STARTED, 100, 5);
		given(this.stepExecutions.of(this.execution.getId())).willAnswer((invocation) -> Map.copyOf(this.readings));
		tracked.end();
		Executions.ended(this.execution, BatchStatus.FAILED);

		for (int push = 0; push <= GroupState.READINGS_AFTER_END + 5; push++) {
			push();
		}

		assertThat(this.groups.get(GROUP).awaitsStepsRunElsewhere()).isFalse();
		then(this.stepExecutions).should(times(1 + GroupState.READINGS_AFTER_END)).of(this.execution.getId());
	}

	@Test
	void aRepositoryThatCannotBeReadShowsThePartitionsAsLastRead() {
		this.groups.track(this.execution);
		read(this.first, BatchStatus.STARTED, 100, 5);
		given(this.stepExecutions.of(this.execution.getId())).willReturn(Map.copyOf(this.readings))
			.willThrow(new IllegalStateException("database down"));
		given(this.repository.getJobExecution(this.execution.getId())).willThrow(new IllegalStateException("down"));

		push();
		MetricSnapshots state = push();

		assertThat(value(state, "batch_step_written_items", "step", "manager")).isEqualTo(100);
	}

	/** A push, a second after the one before. */
	private MetricSnapshots push() {
		this.now = this.now.plusSeconds(1);
		return this.groups.snapshot(GROUP);
	}

	/** The repository holds the partition with the given counts, saved the given seconds ago. */
	private void read(StepExecution partition, BatchStatus status, long written, int secondsAgo) {
		LocalDateTime saved = LocalDateTime.ofInstant(this.now, ZoneId.systemDefault()).minusSeconds(secondsAgo);
		this.readings.put(partition.getId(), new StepSample(partition.getId(), partition.getStepName(), status,
				saved.minusMinutes(1), status.isRunning() ? null : saved, saved, written, written, 0, 0, 0, 0,
				written / 10, 0));
	}

	private static List<String> steps(MetricSnapshots state) {
		return metric(state, "batch_step_status").getDataPoints()
			.stream()
			.map((point) -> point.getLabels().get("step"))
			.distinct()
			.toList();
	}

	private static double value(MetricSnapshots state, String name, String... labels) {
		MetricSnapshot metric = metric(state, name);
		for (DataPointSnapshot point : metric.getDataPoints()) {
			boolean matches = true;
			for (int i = 0; i < labels.length; i += 2) {
				matches &= labels[i + 1].equals(point.getLabels().get(labels[i]));
			}
			if (matches) {
				return (point instanceof CounterSnapshot.CounterDataPointSnapshot counter) ? counter.getValue()
						: ((GaugeSnapshot.GaugeDataPointSnapshot) point).getValue();
			}
		}
		throw new AssertionError(name + " has no series " + List.of(labels));
	}

	private static MetricSnapshot metric(MetricSnapshots state, String name) {
		return state.stream()
			.filter((snapshot) -> snapshot.getMetadata().getPrometheusName().equals(name)
					|| snapshot.getMetadata().getName().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError(name + " not pushed"));
	}

}
