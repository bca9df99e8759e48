package io.github.batchpushgateway.metrics;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

import io.github.batchpushgateway.metrics.JobHistory.FinishedRun;
import io.github.batchpushgateway.push.GroupOutcomes;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JobHistory}: which run a group shows, and the outcomes that never get lost.
 */
class JobHistoryTests {

	@Test
	void theRunEndingLastIsShownAndEachOutcomeKeepsItsLatestTime() {
		FinishedRun failed = run(0, 10, BatchStatus.FAILED);
		FinishedRun completed = run(20, 30, BatchStatus.COMPLETED);

		JobHistory history = JobHistory.EMPTY.with(failed).with(completed);

		assertThat(history.lastFinished()).isEqualTo(completed);
		assertThat(history.lastSuccess()).isEqualTo(at(30));
		assertThat(history.lastFailure()).isEqualTo(at(10));
	}

	@Test
	void aCompletedRunThatOverlappedAFailedOneDoesNotHideIt() {
		FinishedRun failed = run(0, 10, BatchStatus.FAILED);
		FinishedRun overlapping = run(5, 11, BatchStatus.COMPLETED);

		assertThat(JobHistory.EMPTY.with(failed).with(overlapping).lastFinished()).isEqualTo(failed);
		assertThat(JobHistory.EMPTY.with(overlapping).with(failed).lastFinished()).isEqualTo(failed);
		assertThat(JobHistory.EMPTY.with(failed).with(overlapping).lastSuccess()).isEqualTo(at(11));
	}

	@Test
	void aFailedRunThatEndedBeforeACompletedOneStartedIsReplaced() {
		FinishedRun failed = run(0, 10, BatchStatus.FAILED);
		FinishedRun later = run(10, 20, BatchStatus.COMPLETED);

		assertThat(JobHistory.EMPTY.with(later).with(failed).lastFinished()).isEqualTo(later);
	}

	@Test
	void aCopyOfTheShownRunWithTheSameEndDoesNotReplaceIt() {
		FinishedRun local = new FinishedRun(at(0), at(10), BatchStatus.COMPLETED, "EXIT_1", null);
		FinishedRun repositoryCopy = new FinishedRun(at(0), at(10), BatchStatus.COMPLETED, "COMPLETED", null);

		assertThat(JobHistory.EMPTY.with(local).with(repositoryCopy).lastFinished()).isEqualTo(local);
	}

	@Test
	void theRunInHandReplacesTheRepositorysCopyOfItTakenInFirst() {
		// Spring Batch saves the end before afterJob: a refresh may read the copy before the run
		// in hand is taken in
		FinishedRun repositoryCopy = new FinishedRun(at(0), at(10), BatchStatus.COMPLETED, "COMPLETED", null);
		FinishedRun inHand = new FinishedRun(at(0), at(10), BatchStatus.COMPLETED, "EXIT_1", null);

		assertThat(JobHistory.EMPTY.with(repositoryCopy).withRunInHand(inHand).lastFinished()).isEqualTo(inHand);
		assertThat(JobHistory.EMPTY.withRunInHand(inHand).with(repositoryCopy).lastFinished()).isEqualTo(inHand);
	}

	@Test
	void aRecordedCopyReplacesAnUnknownConclusionOfTheSameExecution() {
		// concluded UNKNOWN while its end looked unsaved; the repository shows the end after all
		FinishedRun concluded = new FinishedRun(at(0), at(10), BatchStatus.UNKNOWN, "UNKNOWN", null);
		FinishedRun repositoryCopy = new FinishedRun(at(0), at(10), BatchStatus.COMPLETED, "COMPLETED", null);

		JobHistory history = JobHistory.EMPTY.withRunInHand(concluded).with(repositoryCopy);

		assertThat(history.lastFinished()).isEqualTo(repositoryCopy);
		assertThat(history.lastSuccess()).isEqualTo(at(10));
	}

	@Test
	void aRunInHandEndingWithAnotherRunStillNeverHidesAFailureItOverlapped() {
		FinishedRun failedElsewhere = run(0, 10, BatchStatus.FAILED);
		FinishedRun inHand = run(5, 10, BatchStatus.COMPLETED);

		assertThat(JobHistory.EMPTY.with(failedElsewhere).withRunInHand(inHand).lastFinished())
			.isEqualTo(failedElsewhere);
	}

	@Test
	void aCopyWhoseTimesTheRepositoryRoundedIsStillACopy() {
		JobInstance instance = new JobInstance(3L, "importJob");
		JobExecution inHand = execution(instance, 3L, LocalDateTime.of(2026, 1, 1, 2, 0, 0, 123_456_789), "EXPORTED");
		// SQL Server's DATETIME keeps 1/300 s: the copy may end a few milliseconds later
		JobExecution stored = execution(instance, 3L, inHand.getStartTime().withNano(123_000_000), "COMPLETED");
		stored.setEndTime(inHand.getEndTime().plusNanos(3_000_000));

		JobHistory history = JobHistory.EMPTY.withRunInHand(FinishedRun.of(inHand)).with(FinishedRun.of(stored));

		assertThat(history.lastFinished().exitCode()).isEqualTo("EXPORTED");
		assertThat(history.lastFinished().execution()).isSameAs(inHand);
	}

	@Test
	void runsOfTheResourcelessRepositoryWithTheSameIdAreNotCopiesOfEachOther() {
		JobInstance instance = new JobInstance(1L, "importJob");
		JobExecution first = execution(instance, 1L, LocalDateTime.of(2026, 1, 1, 2, 0), "COMPLETED");
		JobExecution second = execution(instance, 1L, LocalDateTime.of(2026, 1, 1, 3, 0), "NOOP");

		JobHistory history = JobHistory.EMPTY.withRunInHand(FinishedRun.of(second)).with(FinishedRun.of(first));

		assertThat(history.lastFinished().execution()).isSameAs(second);
		assertThat(JobHistory.EMPTY.with(FinishedRun.of(first)).withRunInHand(FinishedRun.of(second))
			.lastFinished()
			.execution()).isSameAs(second);
	}

	@Test
	void anExecutionLeftStoppingWithAnEndTimeFinishedStoppedAsSpringBatchSavesIt() {
		// a stop request landed while the job's thread was ending the execution
		JobExecution execution = execution(new JobInstance(4L, "importJob"), 4L, LocalDateTime.of(2026, 1, 1, 2, 0),
				"COMPLETED");
		execution.setStatus(BatchStatus.STOPPING);

		FinishedRun run = FinishedRun.of(execution);

		assertThat(run).isNotNull();
		assertThat(run.status()).isEqualTo(BatchStatus.STOPPED);
		assertThat(run.exitCode()).as("the exit code the job ended with").isEqualTo("COMPLETED");
		assertThat(run.end()).isEqualTo(BatchTimes.toInstant(execution.getEndTime()));
		assertThat(run.execution()).isSameAs(execution);
	}

	@Test
	void anExecutionStoppingWithoutAnEndTimeHasNotFinished() {
		JobExecution execution = execution(new JobInstance(5L, "importJob"), 5L, LocalDateTime.of(2026, 1, 1, 2, 0),
				"EXECUTING");
		execution.setStatus(BatchStatus.STOPPING);
		execution.setEndTime(null);

		assertThat(FinishedRun.of(execution)).isNull();
		assertThat(FinishedRun.statusOf(execution)).isEqualTo(BatchStatus.STOPPING);
	}

	@Test
	void anExecutionLeftStoppingWithAnEndTimeReplacesTheShownRunAsAStoppedRunDoes() {
		FinishedRun previous = run(0, 10, BatchStatus.COMPLETED);
		LocalDateTime start = LocalDateTime.ofInstant(at(20), ZoneId.systemDefault());
		JobExecution stopping = execution(new JobInstance(6L, "importJob"), 6L, start, "COMPLETED");
		stopping.setStatus(BatchStatus.STOPPING);

		JobHistory history = JobHistory.EMPTY.with(previous).withRunInHand(FinishedRun.of(stopping));

		assertThat(history.lastFinished().execution()).isSameAs(stopping);
		assertThat(history.lastFinished().status()).isEqualTo(BatchStatus.STOPPED);
		assertThat(history.lastSuccess()).as("a stopped run is no success").isEqualTo(at(10));
		assertThat(history.lastFailure()).as("nor a failure").isNull();
	}

	private static JobExecution execution(JobInstance instance, long id, LocalDateTime start, String exitCode) {
		JobExecution execution = new JobExecution(id, instance, new JobParameters());
		execution.setStartTime(start);
		execution.setEndTime(start.plusSeconds(30));
		execution.setStatus(BatchStatus.COMPLETED);
		execution.setExitStatus(new ExitStatus(exitCode));
		return execution;
	}

	@Test
	void outcomesATargetHoldsJoinOnlyWhenNewer() {
		JobHistory history = JobHistory.EMPTY.with(run(0, 10, BatchStatus.COMPLETED));

		JobHistory merged = history.with(new GroupOutcomes(at(5), at(7)));

		assertThat(merged.lastSuccess()).isEqualTo(at(10));
		assertThat(merged.lastFailure()).isEqualTo(at(7));
		assertThat(history.with(new GroupOutcomes(at(50), null)).lastSuccess()).isEqualTo(at(50));
	}

	private static FinishedRun run(long start, long end, BatchStatus status) {
		return new FinishedRun(at(start), at(end), status, status.name(), null);
	}

	private static Instant at(long second) {
		return Instant.ofEpochSecond(1_800_000_000L + second);
	}

}
