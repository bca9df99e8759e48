package io.github.batchpushgateway.metrics;

import java.time.Duration;
import java.time.Instant;

import io.github.batchpushgateway.metrics.JobHistory.FinishedRun;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JobState}.
 */
class JobStateTests {

	private static final JobSchedule SCHEDULE = new JobSchedule(Duration.ofSeconds(10), null);

	private static final Instant END = Instant.parse("2026-11-30T09:00:00Z");

	private final JobExecution running = new JobExecution(2L, new JobInstance(2L, "importJob"), new JobParameters());

	private final JobExecution finished = new JobExecution(1L, new JobInstance(1L, "importJob"), new JobParameters());

	private final JobHistory history = JobHistory.EMPTY
		.with(new FinishedRun(END.minusSeconds(60), END, BatchStatus.COMPLETED, "COMPLETED", this.finished));

	@Test
	void shownExecutionIsTheRunningOneWhileOneRuns() {
		JobState state = new JobState(1, this.running, this.history, null, SCHEDULE);

		assertThat(state.shownExecution()).isSameAs(this.running);
	}

	@Test
	void shownExecutionIsTheHistorysShownRunWhenNoneRuns() {
		JobState state = new JobState(0, null, this.history, null, SCHEDULE);

		assertThat(state.shownExecution()).isSameAs(this.finished);
	}

	@Test
	void noExecutionIsShownWithoutRunOrHistory() {
		assertThat(new JobState(0, null, JobHistory.EMPTY, null, SCHEDULE).shownExecution()).isNull();
	}

	@Test
	void noExecutionIsShownWhenTheShownRunHasNone() {
		JobHistory history = JobHistory.EMPTY
			.with(new FinishedRun(END.minusSeconds(60), END, BatchStatus.FAILED, "FAILED", null));

		assertThat(new JobState(0, null, history, null, SCHEDULE).shownExecution()).isNull();
	}

}
