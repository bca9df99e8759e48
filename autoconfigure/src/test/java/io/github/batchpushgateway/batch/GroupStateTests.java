package io.github.batchpushgateway.batch;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.batchpushgateway.metrics.BatchTimes;
import io.github.batchpushgateway.metrics.JobHistory;
import io.github.batchpushgateway.push.GroupOutcomes;
import io.github.batchpushgateway.push.PushGroup;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * Tests for {@link GroupState}: its executions, and its history seeded from a mocked
 * {@link JobRepository} that holds a job's instances newest first.
 */
@ExtendWith(OutputCaptureExtension.class)
class GroupStateTests {

	private static final String JOB = "import";

	private static final PushGroup GROUP = PushGroup.of(JOB);

	private static final LocalDateTime BASE = LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS).minusDays(1);

	private final JobRepository repository = mock(JobRepository.class);

	/** The job's instances, newest first, with their executions. */
	private final List<JobInstance> instances = new ArrayList<>();

	private final Map<JobInstance, List<JobExecution>> executions = new HashMap<>();

	private final PushGroupResolver resolver = new PushGroupResolver(Map.of(), List.of());

	@BeforeEach
	void repositoryServesPages() {
		given(this.repository.getJobInstances(eq(JOB), anyInt(), anyInt())).willAnswer((invocation) -> {
			int start = invocation.getArgument(1);
			int count = invocation.getArgument(2);
			int from = Math.min(start, this.instances.size());
			return List.copyOf(this.instances.subList(from, Math.min(from + count, this.instances.size())));
		});
		given(this.repository.getJobExecutions(any(JobInstance.class)))
			.willAnswer((invocation) -> this.executions.getOrDefault(invocation.getArgument(0), List.of()));
	}

	private final GroupState record = state(null, 0);

	@Test
	void addedExecutionsAreListedUntilTheirEndIsTakenIn() {
		// given
		TrackedExecution first = new TrackedExecution(Executions.running(JOB), GROUP);
		TrackedExecution second = new TrackedExecution(Executions.running(JOB), GROUP);
		List<TrackedExecution> untracked = new ArrayList<>();
		assertThat(this.record.hasExecutions()).isFalse();
		// when
		this.record.add(first);
		this.record.add(second);
		first.end();
		this.record.takeInEnded(Instant.now(), untracked::add);
		// then
		assertThat(this.record.executions()).containsExactly(second);
		assertThat(untracked).containsExactly(first);
		assertThat(this.record.hasExecutions()).isTrue();
		assertThat(this.record.endedRecently(first.execution.getId())).isTrue();
		assertThat(this.record.endedRecently(second.execution.getId())).isFalse();
	}

	@Test
	void executionsIsACopy() {
		this.record.add(new TrackedExecution(Executions.running(JOB), GROUP));

		this.record.executions().clear();

		assertThat(this.record.executions()).hasSize(1);
	}

	@Test
	void recentlyEndedKeepsTheLast32() {
		// given
		TrackedExecution[] taken = new TrackedExecution[33];
		for (int i = 0; i < taken.length; i++) {
			taken[i] = new TrackedExecution(Executions.running(JOB), GROUP);
			this.record.add(taken[i]);
		}
		// when
		for (TrackedExecution execution : taken) {
			execution.end();
			this.record.takeInEnded(Instant.now(), (tracked) -> {
			});
		}
		// then
		assertThat(this.record.endedRecently(taken[0].execution.getId())).isFalse();
		for (int i = 1; i < taken.length; i++) {
			assertThat(this.record.endedRecently(taken[i].execution.getId())).isTrue();
		}
		assertThat(this.record.hasExecutions()).isFalse();
	}

	@Test
	void anEndTakenInJoinsTheHistory() {
		JobExecution execution = Executions.running(JOB);
		TrackedExecution tracked = new TrackedExecution(execution, GROUP);
		this.record.add(tracked);
		Executions.ended(execution, BatchStatus.COMPLETED);
		tracked.end();

		this.record.takeInEnded(Instant.now(), (untracked) -> {
		});

		assertThat(this.record.history().lastFinished().execution()).isSameAs(execution);
		assertThat(this.record.history().lastSuccess()).isNotNull();
	}

	@Test
	void withoutRepositoryHistoryStartsEmpty() {
		GroupState tracker = state(null, 100);

		assertThat(tracker.history()).isEqualTo(JobHistory.EMPTY);
		assertThat(tracker.refreshHistory()).isEqualTo(JobHistory.EMPTY);
	}

	@Test
	void seedingStopsAtThePageThatHoldsASuccess() {
		// given: newest first, 25 failures then a success, then more older instances
		for (int i = 0; i < 25; i++) {
			addInstance(BatchStatus.FAILED, 100 - i);
		}
		addInstance(BatchStatus.COMPLETED, 50);
		for (int i = 0; i < 30; i++) {
			addInstance(BatchStatus.COMPLETED, 40 - i);
		}
		GroupState tracker = state(this.repository, 1000);
		// when
		JobHistory history = tracker.history();
		// then
		assertThat(history.lastSuccess()).isEqualTo(at(50));
		assertThat(history.lastFailure()).isEqualTo(at(100));
		assertThat(history.lastFinished().end()).isEqualTo(at(100));
		verify(this.repository).getJobInstances(JOB, 0, 20);
		verify(this.repository).getJobInstances(JOB, 20, 20);
		verify(this.repository, never()).getJobInstances(JOB, 40, 20);
	}

	@Test
	void seedingReadsOnePageWhenItHoldsASuccess() {
		for (int i = 0; i < 40; i++) {
			addInstance(BatchStatus.COMPLETED, 100 - i);
		}
		GroupState tracker = state(this.repository, 1000);

		assertThat(tracker.history().lastSuccess()).isEqualTo(at(100));
		verify(this.repository, times(1)).getJobInstances(eq(JOB), anyInt(), anyInt());
	}

	@Test
	void seedingOfAJobThatNeverSucceededStopsAtTheLimit() {
		// given
		for (int i = 0; i < 60; i++) {
			addInstance(BatchStatus.FAILED, 100 - i);
		}
		addInstance(BatchStatus.COMPLETED, 10);
		GroupState tracker = state(this.repository, 30);
		// when
		JobHistory history = tracker.history();
		// then
		assertThat(history.lastSuccess()).isNull();
		assertThat(history.lastFailure()).isEqualTo(at(100));
		verify(this.repository).getJobInstances(JOB, 0, 20);
		verify(this.repository).getJobInstances(JOB, 20, 10);
		verify(this.repository, times(2)).getJobInstances(eq(JOB), anyInt(), anyInt());
	}

	@Test
	void seedingWithALimitOfZeroReadsNothing() {
		addInstance(BatchStatus.COMPLETED, 10);

		GroupState tracker = state(this.repository, 0);

		assertThat(tracker.history()).isEqualTo(JobHistory.EMPTY);
	}

	@Test
	void seedingIgnoresRunsOfOtherGroups() {
		// given
		PushGroupResolver byRegion = new PushGroupResolver(Map.of(), List.of("region"));
		addInstance(BatchStatus.COMPLETED, 100, "us");
		addInstance(BatchStatus.FAILED, 90, "eu");
		addInstance(BatchStatus.COMPLETED, 80, "eu");
		GroupState tracker = new GroupState(new PushGroup(JOB, Map.of("region", "eu")), JOB,
				new JobRepositoryReads(this.repository, byRegion, 1000));
		// when
		JobHistory history = tracker.history();
		// then
		assertThat(history.lastSuccess()).isEqualTo(at(80));
		assertThat(history.lastFailure()).isEqualTo(at(90));
	}

	@Test
	void seedingIgnoresRunningExecutions() {
		JobInstance instance = new JobInstance(1L, JOB);
		JobExecution running = new JobExecution(1L, instance, new JobParametersBuilder().toJobParameters());
		running.setStartTime(BASE);
		running.setStatus(BatchStatus.STARTED);
		this.instances.add(instance);
		this.executions.put(instance, List.of(running));

		GroupState tracker = state(this.repository, 1000);

		assertThat(tracker.history()).isEqualTo(JobHistory.EMPTY);
	}

	@Test
	void historyIsSeededOnlyOnce() {
		addInstance(BatchStatus.COMPLETED, 10);
		GroupState tracker = state(this.repository, 1000);

		tracker.history();
		tracker.history();

		verify(this.repository, times(1)).getJobInstances(eq(JOB), anyInt(), anyInt());
	}

	@Test
	void refreshMergesRunsOfTheNewestInstances() {
		// given
		addInstance(BatchStatus.FAILED, 10);
		GroupState tracker = state(this.repository, 1000);
		tracker.history();
		// when: another JVM ends a run
		addNewestInstance(BatchStatus.COMPLETED, 20);
		JobHistory refreshed = tracker.refreshHistory();
		// then
		assertThat(refreshed.lastSuccess()).isEqualTo(at(20));
		assertThat(refreshed.lastFailure()).isEqualTo(at(10));
		assertThat(tracker.history()).isEqualTo(refreshed);
		verify(this.repository).getJobInstances(JOB, 0, 3);
	}

	@Test
	void refreshIgnoresRunsOfOtherGroups() {
		// given
		PushGroupResolver byRegion = new PushGroupResolver(Map.of(), List.of("region"));
		PushGroup eu = new PushGroup(JOB, Map.of("region", "eu"));
		GroupState tracker = new GroupState(eu, JOB, new JobRepositoryReads(this.repository, byRegion, 1000));
		tracker.history();
		// when
		addNewestInstance(BatchStatus.COMPLETED, 20, "us");
		// then
		assertThat(tracker.refreshHistory()).isEqualTo(JobHistory.EMPTY);
	}

	@Test
	void refreshTakesInTheRestartOfAFailedInstance() {
		// given
		GroupState tracker = state(this.repository, 1000);
		tracker.history();
		addNewestInstance(BatchStatus.FAILED, 20);
		JobInstance failed = this.instances.get(0);
		tracker.refreshHistory();
		// when: another JVM restarts the instance and succeeds
		JobExecution restart = new JobExecution(9000L, failed, new JobParametersBuilder().toJobParameters());
		restart.setStartTime(BASE.plusMinutes(29));
		restart.setEndTime(BASE.plusMinutes(30));
		restart.setStatus(BatchStatus.COMPLETED);
		restart.setExitStatus(ExitStatus.COMPLETED);
		this.executions.put(failed, List.of(this.executions.get(failed).get(0), restart));
		JobHistory refreshed = tracker.refreshHistory();
		// then
		assertThat(refreshed.lastSuccess()).isEqualTo(at(30));
		assertThat(refreshed.lastFailure()).isEqualTo(at(20));
	}

	@Test
	void refreshTakesInAnOutcomeThatChangedAfterItWasReadCompleted() {
		// given: another JVM saved its run's end, and a refresh read it before its afterJob ran
		GroupState tracker = state(this.repository, 1000);
		tracker.history();
		addNewestInstance(BatchStatus.COMPLETED, 30);
		JobExecution stored = this.executions.get(this.instances.get(0)).get(0);
		tracker.refreshHistory();
		// when: its afterJob listener failed the run, and Spring Batch saved that
		stored.setStatus(BatchStatus.FAILED);
		stored.setExitStatus(ExitStatus.FAILED);
		JobHistory refreshed = tracker.refreshHistory();
		// then: a COMPLETED copy is not final until afterJob is through, so it is read again
		assertThat(refreshed.lastFailure()).isEqualTo(at(30));
	}

	@Test
	void refreshReadsAgainARunThatWasInHand() {
		// given: the run was in hand at the first refresh, so its copy was left out
		GroupState tracker = state(this.repository, 1000);
		tracker.history();
		addNewestInstance(BatchStatus.COMPLETED, 30);
		JobExecution stored = this.executions.get(this.instances.get(0)).get(0);
		tracker.refreshHistory((execution) -> execution.getId() == stored.getId());
		// when: its afterJob listeners changed its outcome before Spring Batch saved it again
		stored.setStatus(BatchStatus.FAILED);
		JobHistory refreshed = tracker.refreshHistory();
		// then
		assertThat(refreshed.lastFailure()).isEqualTo(at(30));
		assertThat(refreshed.lastSuccess()).isNull();
	}

	@Test
	void recordFinishedAddsTheRun() {
		GroupState tracker = state(null, 1000);

		JobHistory history = tracker.recordFinished(JobHistory.FinishedRun.of(finished(new JobInstance(1L, JOB), BatchStatus.COMPLETED, 30, null)));

		assertThat(history.lastSuccess()).isEqualTo(at(30));
		assertThat(tracker.history()).isEqualTo(history);
	}

	@Test
	void theRunInHandIsShownEvenWhenARefreshTookInItsRepositoryCopyFirst() {
		// given: Spring Batch saved the job's end, and a refresh read it before afterJob ran
		addNewestInstance(BatchStatus.COMPLETED, 30);
		JobExecution stored = this.executions.get(this.instances.get(0)).get(0);
		GroupState tracker = state(this.repository, 1000);
		tracker.refreshHistory();
		// when the execution in hand, which an afterJob listener gave its exit code, is recorded
		JobExecution inHand = finished(stored.getJobInstance(), BatchStatus.COMPLETED, 30, null);
		inHand.setExitStatus(new ExitStatus("EXPORTED"));
		tracker.recordFinished(JobHistory.FinishedRun.of(inHand));
		// then the group shows the execution in hand, also after the next refresh
		assertThat(tracker.history().lastFinished().execution()).isSameAs(inHand);
		assertThat(tracker.refreshHistory().lastFinished().exitCode()).isEqualTo("EXPORTED");
	}

	@Test
	void refreshLeavesOutTheRunsThisJvmStillHasInHand() {
		// given: Spring Batch saved COMPLETED, and afterJob listeners, not yet through, may change it
		GroupState tracker = state(this.repository, 1000);
		tracker.history();
		addNewestInstance(BatchStatus.COMPLETED, 30);
		JobExecution stored = this.executions.get(this.instances.get(0)).get(0);
		// when the group is refreshed while the run is in hand
		JobHistory refreshed = tracker.refreshHistory((execution) -> execution.getId() == stored.getId());
		// then the copy gives the group no last success
		assertThat(refreshed.lastSuccess()).isNull();
		assertThat(refreshed.lastFinished()).isNull();
	}

	@Test
	void absorbKeepsTheNewestOfEachOutcome() {
		// given
		addInstance(BatchStatus.COMPLETED, 50);
		addInstance(BatchStatus.FAILED, 40);
		GroupState tracker = state(this.repository, 1000);
		// when: the target holds an older success and a newer failure
		JobHistory history = tracker.absorb(new GroupOutcomes(at(10), at(60)));
		// then
		assertThat(history.lastSuccess()).isEqualTo(at(50));
		assertThat(history.lastFailure()).isEqualTo(at(60));
		assertThat(tracker.history()).isEqualTo(history);
	}

	@Test
	void absorbFillsWhatTheRepositoryDoesNotKnow() {
		GroupState tracker = state(null, 1000);

		JobHistory history = tracker.absorb(new GroupOutcomes(at(10), null));

		assertThat(history.lastSuccess()).isEqualTo(at(10));
		assertThat(history.lastFailure()).isNull();
	}

	@Test
	void seedingFailureIsLoggedAndStartsEmpty(CapturedOutput output) {
		given(this.repository.getJobInstances(eq(JOB), anyInt(), anyInt()))
			.willThrow(new IllegalStateException("database down"));
		GroupState tracker = state(this.repository, 1000);

		assertThat(tracker.history()).isEqualTo(JobHistory.EMPTY);
		assertThat(output).contains("WARN").contains("Could not read the history of job 'import'");
	}

	@Test
	void refreshFailureKeepsTheHistoryInHand() {
		// given
		addInstance(BatchStatus.COMPLETED, 10);
		GroupState tracker = state(this.repository, 1000);
		JobHistory seeded = tracker.history();
		given(this.repository.getJobInstances(eq(JOB), anyInt(), anyInt()))
			.willThrow(new IllegalStateException("database down"));
		// when
		JobHistory refreshed = tracker.refreshHistory();
		// then
		assertThat(refreshed).isEqualTo(seeded);
	}

	private GroupState state(JobRepository repository, int maxInstancesScanned) {
		return new GroupState(GROUP, JOB, new JobRepositoryReads(repository, this.resolver, maxInstancesScanned));
	}

	private void addInstance(BatchStatus status, int minute) {
		addInstance(status, minute, null);
	}

	private void addInstance(BatchStatus status, int minute, String region) {
		JobInstance instance = new JobInstance((long) this.instances.size() + 1000, JOB);
		this.instances.add(instance);
		this.executions.put(instance, List.of(finished(instance, status, minute, region)));
	}

	private void addNewestInstance(BatchStatus status, int minute, String region) {
		JobInstance instance = new JobInstance((long) this.instances.size() + 5000, JOB);
		this.instances.add(0, instance);
		this.executions.put(instance, List.of(finished(instance, status, minute, region)));
	}

	private void addNewestInstance(BatchStatus status, int minute) {
		addNewestInstance(status, minute, null);
	}

	private static JobExecution finished(JobInstance instance, BatchStatus status, int minute, String region) {
		JobParametersBuilder parameters = new JobParametersBuilder();
		if (region != null) {
			parameters.addString("region", region);
		}
		JobExecution execution = new JobExecution(instance.getInstanceId(), instance, parameters.toJobParameters());
		execution.setStartTime(BASE.plusMinutes(minute).minusSeconds(30));
		execution.setEndTime(BASE.plusMinutes(minute));
		execution.setStatus(status);
		execution.setExitStatus(new ExitStatus(status.name()));
		return execution;
	}

	private static Instant at(int minute) {
		return BatchTimes.toInstant(BASE.plusMinutes(minute));
	}

}
