package io.github.batchpushgateway.metrics;

import java.time.Instant;

import io.github.batchpushgateway.metrics.JobHistory.FinishedRun;
import io.github.batchpushgateway.push.GroupOutcomes;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;

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
	void theRunInHandReplacesTheRepositorysCopyReadBeforeIt() {
		// A push between Spring Batch's save of the end and the starter's afterJob reads the copy.
		FinishedRun repositoryCopy = new FinishedRun(at(0), at(10), BatchStatus.COMPLETED, "COMPLETED", null);
		FinishedRun local = new FinishedRun(at(0), at(10), BatchStatus.COMPLETED, "EXIT_1", null);

		assertThat(JobHistory.EMPTY.with(repositoryCopy).withOwn(local).lastFinished()).isSameAs(local);
		assertThat(JobHistory.EMPTY.with(local).with(repositoryCopy).lastFinished()).isSameAs(local);
	}

	@Test
	void aRunInHandFollowsTheRulesForOtherRuns() {
		FinishedRun failed = run(0, 10, BatchStatus.FAILED);
		FinishedRun overlapping = run(5, 10, BatchStatus.COMPLETED);
		FinishedRun later = run(20, 30, BatchStatus.COMPLETED);

		assertThat(JobHistory.EMPTY.with(failed).withOwn(overlapping).lastFinished()).isEqualTo(failed);
		assertThat(JobHistory.EMPTY.with(later).withOwn(failed).lastFinished()).isEqualTo(later);
		assertThat(JobHistory.EMPTY.with(later).withOwn(failed).lastFailure()).isEqualTo(at(10));
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
