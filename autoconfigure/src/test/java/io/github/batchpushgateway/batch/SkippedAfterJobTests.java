package io.github.batchpushgateway.batch;

import io.github.batchpushgateway.push.PushGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link SkippedAfterJob}, with a mocked job repository.
 */
@ExtendWith(OutputCaptureExtension.class)
class SkippedAfterJobTests {

	private final JobRepository repository = mock(JobRepository.class);

	private final SkippedAfterJob skipped = new SkippedAfterJob(TestGroupStates.of(this.repository).repository());

	@Test
	void anEndTheRepositoryNeverSavedIsEndedUnknownAtTheLastLookWithAWarning(CapturedOutput output) {
		// its save may be waiting for a connection: afterJob would follow a save that lands
		JobExecution execution = Executions.running("importJob");
		given(this.repository.getJobExecution(execution.getId())).willReturn(Executions.copyOf(execution));
		TrackedExecution tracked = endedInMemory(execution);

		for (int look = 1; look < SkippedAfterJob.PATIENCE; look++) {
			assertThat(this.skipped.look(tracked)).as("look %d", look).isFalse();
		}
		assertThat(this.skipped.look(tracked)).isTrue();

		assertThat(tracked.finishedRun().status()).isEqualTo(BatchStatus.UNKNOWN);
		assertThat(output).contains("Job 'importJob' (execution " + execution.getId() + ") ended COMPLETED but its "
				+ "job repository does not show that end").contains("pushed as UNKNOWN (exit code UNKNOWN)");
	}

	@Test
	void aRepositoryThatCannotBeReadIsNamedAsSuch(CapturedOutput output) {
		JobExecution execution = Executions.running("importJob");
		given(this.repository.getJobExecution(execution.getId()))
			.willThrow(new DataAccessResourceFailureException("database gone"));
		TrackedExecution tracked = endedInMemory(execution);

		this.skipped.end(tracked);

		assertThat(tracked.finishedRun().status()).isEqualTo(BatchStatus.UNKNOWN);
		assertThat(output).contains("its job repository could not be read to confirm that end")
			.doesNotContain("does not show that end");
	}

	@Test
	void anEndTheRepositoryShowsWaitsForSlowListenersThenIsEndedAsItIsWithoutAWarning(CapturedOutput output) {
		JobExecution execution = Executions.running("importJob");
		TrackedExecution tracked = endedInMemory(execution);
		given(this.repository.getJobExecution(execution.getId()))
			.willReturn(Executions.ended(Executions.copyOf(execution), BatchStatus.COMPLETED));

		for (int look = 1; look < SkippedAfterJob.PATIENCE; look++) {
			assertThat(this.skipped.look(tracked)).as("look %d", look).isFalse();
		}
		assertThat(this.skipped.look(tracked)).isTrue();

		assertThat(tracked.finishedRun().status()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(output).doesNotContain("does not show that end");
	}

	@Test
	void atShutdownAnEndTheRepositoryNeverSavedIsEndedUnknownAtOnce() {
		JobExecution execution = Executions.running("importJob");
		given(this.repository.getJobExecution(execution.getId())).willReturn(Executions.copyOf(execution));
		TrackedExecution tracked = endedInMemory(execution);

		this.skipped.end(tracked);

		assertThat(tracked.isOver()).isTrue();
		assertThat(tracked.finishedRun().status()).isEqualTo(BatchStatus.UNKNOWN);
	}

	@Test
	void withoutARepositoryTheExecutionsOwnEndIsAllThereIs() {
		SkippedAfterJob withoutRepository = new SkippedAfterJob(TestGroupStates.of(null).repository());
		TrackedExecution tracked = endedInMemory(Executions.running("importJob"));

		withoutRepository.end(tracked);

		assertThat(tracked.finishedRun().status()).isEqualTo(BatchStatus.COMPLETED);
	}

	private static TrackedExecution endedInMemory(JobExecution execution) {
		Executions.ended(execution, BatchStatus.COMPLETED);
		return new TrackedExecution(execution, PushGroup.of("importJob"));
	}

}
