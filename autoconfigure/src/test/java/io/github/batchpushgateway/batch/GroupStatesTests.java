package io.github.batchpushgateway.batch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.batchpushgateway.metrics.JobMetricsSnapshotFactory;
import io.github.batchpushgateway.metrics.JobSchedule;
import io.github.batchpushgateway.push.GroupOutcomes;
import io.github.batchpushgateway.push.PushGroup;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;

/**
 * Tests for {@link GroupStates}: the bounded registry of groups, and each group's state gathered
 * on the sending side, with a mocked job repository.
 */
@ExtendWith(OutputCaptureExtension.class)
class GroupStatesTests {

	private static final PushGroup GROUP = PushGroup.of("importJob");

	private final JobRepository repository = mock(JobRepository.class);

	private final PushGroupResolver resolver = new PushGroupResolver(Map.of(), List.of());

	private Instant now = Instant.parse("2026-11-30T10:00:00Z");

	private final GroupStates groups = new GroupStates(this.resolver, 10,
			new JobRepositoryReads(this.repository, this.resolver, 0), new JobMetricsSnapshotFactory(List::of),
			(job) -> new JobSchedule(Duration.ofSeconds(10), null, Duration.ofMinutes(5), null), new Clock() {
				@Override
				public Instant instant() {
					return GroupStatesTests.this.now;
				}

				@Override
				public java.time.ZoneId getZone() {
					return ZoneOffset.UTC;
				}

				@Override
				public Clock withZone(java.time.ZoneId zone) {
					return this;
				}
			});

	@Test
	void aGroupNobodyTracksHasNothingToPush() {
		assertThat(this.groups.snapshot(GROUP)).isNull();
	}

	@Test
	void theRepositorysCopyOfARunInItsAfterJobListenersGivesTheGroupNoOutcomeYet() {
		// given Spring Batch saved the run COMPLETED and calls the afterJob listeners
		JobExecution mine = Executions.running("importJob");
		this.groups.track(mine);
		Executions.ended(mine, BatchStatus.COMPLETED);
		JobExecution stored = Executions.ended(Executions.copyOf(mine), BatchStatus.COMPLETED);
		given(this.repository.getJobInstances("importJob", 0, 3)).willReturn(List.of(mine.getJobInstance()));
		given(this.repository.getJobExecutions(mine.getJobInstance())).willReturn(List.of(stored));
		// when a push is built now
		MetricSnapshots state = this.groups.snapshot(GROUP);

		// then it shows the run going on, with no last success the listeners could still take back
		assertThat(statusShown(state)).isEqualTo("STARTED");
		assertThat(state.stream().map((metric) -> metric.getMetadata().getPrometheusName()))
			.doesNotContain("batch_job_last_success_timestamp_seconds");
		then(this.repository).should().getJobExecutions(mine.getJobInstance());
	}

	@Test
	void runningExecutionsAreCountedAndTheNewestIsShown() {
		JobExecution older = Executions.running("importJob");
		older.setStartTime(older.getStartTime().minusMinutes(5));
		JobExecution newer = Executions.running("importJob");
		newer.setStatus(BatchStatus.STARTING);
		this.groups.track(older);
		this.groups.track(newer);

		MetricSnapshots state = this.groups.snapshot(GROUP);

		assertThat(value(state, "batch_job_running")).isEqualTo(2);
		assertThat(statusShown(state)).isEqualTo("STARTING");
	}

	@Test
	void executionsOfOtherJvmsInASharedRepositoryAreCountedButNotShown() {
		JobExecution mine = Executions.running("importJob");
		JobExecution elsewhere = Executions.running("importJob");
		elsewhere.setLastUpdated(localTime(this.now.minusSeconds(20)));
		this.groups.track(mine);
		given(this.repository.findRunningJobExecutions("importJob")).willReturn(Set.of(mine, elsewhere));

		MetricSnapshots state = this.groups.snapshot(GROUP);

		assertThat(value(state, "batch_job_running")).isEqualTo(2);
	}

	@Test
	void anExecutionSilentInTheRepositoryForLongIsNoLongerCounted() {
		JobExecution crashedLongAgo = Executions.running("importJob");
		crashedLongAgo.setLastUpdated(localTime(this.now.minus(Duration.ofMinutes(2))));
		this.groups.track(Executions.running("importJob"));
		given(this.repository.findRunningJobExecutions("importJob")).willReturn(Set.of(crashedLongAgo));

		assertThat(value(this.groups.snapshot(GROUP), "batch_job_running")).isEqualTo(1);
	}

	@Test
	void theRepositoryIsAskedForOtherJvmsExecutionsAtMostOncePerProgressInterval() {
		// given an execution here and one of another JVM
		JobExecution mine = Executions.running("importJob");
		JobExecution elsewhere = Executions.running("importJob");
		elsewhere.setLastUpdated(localTime(this.now));
		this.groups.track(mine);
		given(this.repository.findRunningJobExecutions("importJob")).willReturn(Set.of(mine, elsewhere));

		// when this JVM pushes three times, the last a progress interval (10 s) after the first
		this.groups.snapshot(GROUP);
		this.now = this.now.plusSeconds(5);
		Executions.step(mine, "load");
		MetricSnapshots withinTheInterval = this.groups.snapshot(GROUP);
		this.now = this.now.plusSeconds(5);
		this.groups.snapshot(GROUP);

		// then the repository was read twice, and the push in between still counted both
		then(this.repository).should(times(2)).findRunningJobExecutions("importJob");
		assertThat(value(withinTheInterval, "batch_job_running")).isEqualTo(2);
	}

	@Test
	void theLastPushOfThisJvmLooksUpAgainTheExecutionsItCountedElsewhere() {
		// given an execution here and two of another JVM, counted at the start
		JobExecution mine = Executions.running("importJob");
		JobExecution endsMeanwhile = Executions.running("importJob");
		JobExecution goesOn = Executions.running("importJob");
		endsMeanwhile.setLastUpdated(localTime(this.now));
		goesOn.setLastUpdated(localTime(this.now));
		this.groups.track(mine);
		given(this.repository.findRunningJobExecutions("importJob")).willReturn(Set.of(mine, endsMeanwhile, goesOn));
		assertThat(value(this.groups.snapshot(GROUP), "batch_job_running")).isEqualTo(3);

		// when one of the other JVM's ends, then the one here, within the progress interval
		this.now = this.now.plusSeconds(2);
		Executions.ended(endsMeanwhile, BatchStatus.COMPLETED);
		given(this.repository.getJobExecution(endsMeanwhile.getId())).willReturn(endsMeanwhile);
		given(this.repository.getJobExecution(goesOn.getId())).willReturn(goesOn);
		this.groups.tracked(mine).end();
		Executions.ended(mine, BatchStatus.COMPLETED);
		MetricSnapshots last = this.groups.snapshot(GROUP);

		// then the final push counts only the one still running, read by id, not by reading the
		// whole job again
		assertThat(value(last, "batch_job_running")).isEqualTo(1);
		then(this.repository).should(times(1)).findRunningJobExecutions("importJob");
	}

	@Test
	void withNothingRunningElsewhereTheLastPushWithinTheIntervalReadsNothingMore() {
		JobExecution mine = Executions.running("importJob");
		this.groups.track(mine);
		given(this.repository.findRunningJobExecutions("importJob")).willReturn(Set.of(mine));
		this.groups.snapshot(GROUP);

		this.now = this.now.plusSeconds(2);
		this.groups.tracked(mine).end();
		Executions.ended(mine, BatchStatus.COMPLETED);
		MetricSnapshots last = this.groups.snapshot(GROUP);

		assertThat(value(last, "batch_job_running")).isEqualTo(0);
		then(this.repository).should(times(1)).findRunningJobExecutions("importJob");
		then(this.repository).should(never()).getJobExecution(anyLong());
	}

	private static java.time.LocalDateTime localTime(Instant instant) {
		return java.time.LocalDateTime.ofInstant(instant, java.time.ZoneId.systemDefault());
	}

	@Test
	void anExecutionThatJustEndedHereIsNotCountedEvenWhileTheRepositoryStillListsIt() {
		JobExecution execution = Executions.running("importJob");
		this.groups.track(execution).end();
		Executions.ended(execution, BatchStatus.COMPLETED);
		given(this.repository.findRunningJobExecutions("importJob")).willReturn(Set.of(execution));

		MetricSnapshots state = this.groups.snapshot(GROUP);

		assertThat(value(state, "batch_job_running")).isEqualTo(0);
		assertThat(statusShown(state)).isEqualTo("COMPLETED");
		assertThat(this.groups.get(GROUP).hasExecutions()).isFalse();
	}

	@Test
	void aRepositoryThatCannotBeReadLeavesThisJvmsCount() {
		this.groups.track(Executions.running("importJob"));
		given(this.repository.findRunningJobExecutions("importJob")).willThrow(new IllegalStateException("down"));

		assertThat(value(this.groups.snapshot(GROUP), "batch_job_running")).isEqualTo(1);
	}

	@Test
	void lastProgressMovesOnlyWhenAStepStartsEndsOrCounts() {
		JobExecution execution = Executions.running("importJob");
		this.groups.track(execution);
		this.groups.snapshot(GROUP);
		Instant started = this.now;

		this.now = this.now.plusSeconds(30);
		MetricSnapshots idle = this.groups.snapshot(GROUP);
		this.now = this.now.plusSeconds(30);
		Executions.step(execution, "load").setReadCount(10);
		MetricSnapshots progressed = this.groups.snapshot(GROUP);

		assertThat(value(idle, "batch_job_last_progress_timestamp_seconds")).isEqualTo(started.getEpochSecond());
		assertThat(value(progressed, "batch_job_last_progress_timestamp_seconds")).isEqualTo(this.now.getEpochSecond());
		assertThat(value(progressed, "batch_job_stall_timeout_seconds")).isEqualTo(300);
	}

	@Test
	void whatTheTargetHoldsJoinsTheHistoryAndTheNewestOutcomeWins() {
		JobExecution execution = Executions.running("importJob");
		this.groups.track(execution);
		Instant heldSuccess = Instant.parse("2026-11-01T00:00:00Z");

		this.groups.absorb(GROUP, new GroupOutcomes(heldSuccess, null));
		MetricSnapshots state = this.groups.snapshot(GROUP);

		assertThat(value(state, "batch_job_last_success_timestamp_seconds")).isEqualTo(heldSuccess.getEpochSecond());
	}

	private final GroupStates grouped = TestGroupStates.of(
			new PushGroupResolver(Map.of("env", "prod"), List.of("batch.id")), 2, null);

	@Test
	void executionsWithTheSameGroupingValuesShareOneState() {
		GroupState first = this.grouped.stateOf(Executions.running("importJob", "batch.id", "7"));
		GroupState second = this.grouped.stateOf(Executions.running("importJob", "batch.id", "7"));

		assertThat(second).isSameAs(first);
		assertThat(first.group).isEqualTo(new PushGroup("importJob", Map.of("env", "prod", "batch_id", "7")));
	}

	@Test
	void pastTheCapNewValuesShareTheJobsOverflowGroupAndAWarnSaysSoOnce(CapturedOutput output) {
		this.grouped.stateOf(Executions.running("importJob", "batch.id", "1"));
		this.grouped.stateOf(Executions.running("importJob", "batch.id", "2"));

		GroupState third = this.grouped.stateOf(Executions.running("importJob", "batch.id", "3"));
		GroupState fourth = this.grouped.stateOf(Executions.running("importJob", "batch.id", "4"));

		assertThat(fourth).isSameAs(third);
		assertThat(third.group.groupingKey()).containsEntry("batch_id", PushGroupResolver.OVERFLOW)
			.containsEntry("env", "prod");
		assertThat(this.grouped.all()).hasSize(3);
		assertThat(output.getOut().split("max-groups-per-job", -1)).hasSize(2);
	}

	@Test
	void theCapCountsGroupsPerJob() {
		this.grouped.stateOf(Executions.running("importJob", "batch.id", "1"));
		this.grouped.stateOf(Executions.running("importJob", "batch.id", "2"));

		GroupState otherJob = this.grouped.stateOf(Executions.running("exportJob", "batch.id", "1"));

		assertThat(otherJob.group.groupingKey()).containsEntry("batch_id", "1");
	}

	@Test
	void aSecondStartOfTheSameExecutionDoesNotTrackItTwice() {
		var execution = Executions.running("importJob", "batch.id", "1");

		TrackedExecution first = this.grouped.track(execution);
		TrackedExecution second = this.grouped.track(execution);

		assertThat(second).isSameAs(first);
		assertThat(this.grouped.get(first.group).executions()).hasSize(1);
	}

	@Test
	void aTrackedExecutionIsForgottenOnceTheSendingSideTookItsEndIn() {
		var execution = Executions.running("importJob", "batch.id", "1");
		TrackedExecution tracked = this.grouped.track(execution);
		GroupState state = this.grouped.get(tracked.group);
		this.grouped.takeInEnded(state);
		assertThat(this.grouped.tracked(execution)).isSameAs(tracked);

		tracked.end();
		this.grouped.takeInEnded(state);

		assertThat(this.grouped.tracked(execution)).isNull();
		assertThat(state.hasExecutions()).isFalse();
		assertThat(state.endedRecently(execution.getId())).isTrue();
		assertThat(this.grouped.trackedExecutions()).isEmpty();
	}

	private static double value(MetricSnapshots state, String name) {
		MetricSnapshot metric = state.stream()
			.filter((snapshot) -> snapshot.getMetadata().getPrometheusName().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError(name + " not pushed"));
		return ((GaugeSnapshot) metric).getDataPoints().get(0).getValue();
	}

	private static String statusShown(MetricSnapshots state) {
		GaugeSnapshot status = (GaugeSnapshot) state.stream()
			.filter((snapshot) -> snapshot.getMetadata().getPrometheusName().equals("batch_job_status"))
			.findFirst()
			.orElseThrow();
		return status.getDataPoints().stream()
			.filter((point) -> point.getValue() == 1)
			.map((point) -> point.getLabels().get("status"))
			.findFirst()
			.orElseThrow();
	}

}
