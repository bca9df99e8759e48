package io.github.batchpushgateway.batch;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.batchpushgateway.metrics.BatchTimes;
import io.github.batchpushgateway.metrics.JobHistory.FinishedRun;
import io.github.batchpushgateway.push.PushGroup;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.then;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;

/**
 * Tests for {@link TrackedExecution}.
 */
class TrackedExecutionTests {

	private static final PushGroup GROUP = PushGroup.of("importJob");

	@Test
	void runningExecutionIsNotOverAndHasNoFinishedRun() {
		TrackedExecution tracked = new TrackedExecution(Executions.running("importJob"), GROUP);

		assertThat(tracked.isOver()).isFalse();
		assertThat(tracked.endedWithoutAfterJob()).isFalse();
		assertThat(tracked.finishedRun()).isNull();
	}

	@Test
	void endedExecutionIsOverWithItsOwnRun() {
		// given
		JobExecution execution = Executions.running("importJob");
		TrackedExecution tracked = new TrackedExecution(execution, GROUP);
		Executions.ended(execution, BatchStatus.COMPLETED);
		// when
		tracked.end();
		// then
		assertThat(tracked.isOver()).isTrue();
		assertThat(tracked.endedWithoutAfterJob()).isFalse();
		assertThat(tracked.finishedRun().status()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(tracked.finishedRun().execution()).isSameAs(execution);
	}

	@Test
	void executionFinishedBySpringBatchBeforeAfterJobIsEndedWithoutAfterJob() {
		JobExecution execution = Executions.running("importJob");
		TrackedExecution tracked = new TrackedExecution(execution, GROUP);

		Executions.ended(execution, BatchStatus.FAILED);

		assertThat(tracked.endedWithoutAfterJob()).isTrue();
		assertThat(tracked.isOver()).isFalse();
	}

	@Test
	void concludedWithoutStoredExecutionIsInterruptedFromItsStartToNow() {
		// given
		JobExecution execution = Executions.running("importJob");
		TrackedExecution tracked = new TrackedExecution(execution, GROUP);
		Instant now = Instant.now().plusSeconds(5);
		// when
		tracked.conclude(null, now);
		// then
		FinishedRun run = tracked.finishedRun();
		assertThat(tracked.isOver()).isTrue();
		assertThat(run.status()).isEqualTo(BatchStatus.UNKNOWN);
		assertThat(run.exitCode()).isEqualTo(TrackedExecution.INTERRUPTED);
		assertThat(run.start()).isEqualTo(BatchTimes.toInstant(execution.getStartTime()));
		assertThat(run.end()).isEqualTo(now);
	}

	@Test
	void concludedWithAStoredExecutionStillRunningIsInterrupted() {
		JobExecution execution = Executions.running("importJob");
		TrackedExecution tracked = new TrackedExecution(execution, GROUP);

		tracked.conclude(Executions.running("importJob"), Instant.now());

		assertThat(tracked.finishedRun().exitCode()).isEqualTo(TrackedExecution.INTERRUPTED);
	}

	@Test
	void concludedWithoutAStartTimeStartsAtTheConclusion() {
		JobExecution execution = Executions.running("importJob");
		execution.setStartTime(null);
		TrackedExecution tracked = new TrackedExecution(execution, GROUP);
		Instant now = Instant.now();

		tracked.conclude(null, now);

		assertThat(tracked.finishedRun().start()).isEqualTo(now);
	}

	@Test
	void concludedAsTheRepositoryRecordsAnEndedExecution() {
		// given: the execution object was marked STOPPED, the repository recorded the graceful end
		JobExecution execution = Executions.running("importJob");
		execution.setStatus(BatchStatus.STOPPING);
		TrackedExecution tracked = new TrackedExecution(execution, GROUP);
		JobExecution stored = Executions.ended(Executions.running("importJob"), BatchStatus.STOPPED);
		// when
		tracked.conclude(stored, Instant.now());
		// then
		assertThat(tracked.finishedRun().status()).isEqualTo(BatchStatus.STOPPED);
		assertThat(tracked.finishedRun().execution()).isSameAs(stored);
	}

	@Test
	void anEndTheRepositoryDidNotSaveIsUnknownAtTheEndItHadInMemory() {
		// given: Spring Batch set COMPLETED, the save failed, the repository still says STARTED
		JobExecution execution = Executions.running("importJob");
		TrackedExecution tracked = new TrackedExecution(execution, GROUP);
		JobExecution stored = Executions.copyOf(execution);
		Executions.ended(execution, BatchStatus.COMPLETED);
		// when
		boolean asRecorded = tracked.endWithoutAfterJob(stored);
		// then
		assertThat(asRecorded).isFalse();
		assertThat(tracked.isOver()).isTrue();
		FinishedRun run = tracked.finishedRun();
		assertThat(run.status()).isEqualTo(BatchStatus.UNKNOWN);
		assertThat(run.exitCode()).isEqualTo("UNKNOWN");
		assertThat(run.completed()).isFalse();
		assertThat(run.end()).isEqualTo(BatchTimes.toInstant(execution.getEndTime()));
	}

	@Test
	void anEndThatCouldNotBeReadBackIsUnknown() {
		JobExecution execution = Executions.ended(Executions.running("importJob"), BatchStatus.COMPLETED);
		TrackedExecution tracked = new TrackedExecution(execution, GROUP);

		assertThat(tracked.endWithoutAfterJob(null)).isFalse();

		assertThat(tracked.finishedRun().status()).isEqualTo(BatchStatus.UNKNOWN);
	}

	@Test
	void anEndTheRepositoryShowsIsTheExecutionsOwn() {
		// a listener before the starter's threw: the end was saved, afterJob never comes
		JobExecution execution = Executions.running("importJob");
		TrackedExecution tracked = new TrackedExecution(execution, GROUP);
		Executions.ended(execution, BatchStatus.COMPLETED);
		execution.setExitStatus(new ExitStatus("CUSTOM"));
		JobExecution stored = Executions.ended(Executions.copyOf(execution), BatchStatus.COMPLETED);

		assertThat(tracked.endWithoutAfterJob(stored)).isTrue();

		assertThat(tracked.finishedRun().status()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(tracked.finishedRun().exitCode()).isEqualTo("CUSTOM");
	}

	@Test
	void anEndRecordedOnceTheConclusionWasTakenInSaysItCameTooLate() {
		JobExecution execution = Executions.ended(Executions.running("importJob"), BatchStatus.COMPLETED);
		TrackedExecution tracked = new TrackedExecution(execution, GROUP);
		tracked.endWithoutAfterJob(null);

		assertThat(tracked.take().status()).isEqualTo(BatchStatus.UNKNOWN);

		assertThat(tracked.end()).isFalse();
	}

	@Test
	void anEndRecordedBeforeTheRunIsTakenInIsTheRunTakenIn() {
		JobExecution execution = Executions.ended(Executions.running("importJob"), BatchStatus.COMPLETED);
		TrackedExecution tracked = new TrackedExecution(execution, GROUP);
		tracked.endWithoutAfterJob(null);

		assertThat(tracked.end()).isTrue();

		assertThat(tracked.take().status()).isEqualTo(BatchStatus.COMPLETED);
	}

	@Test
	void aFailureTheRepositoryDidNotSaveStaysAFailure() {
		JobExecution execution = Executions.running("importJob");
		TrackedExecution tracked = new TrackedExecution(execution, GROUP);
		JobExecution stored = Executions.copyOf(execution);
		Executions.ended(execution, BatchStatus.FAILED);

		assertThat(tracked.endWithoutAfterJob(stored)).isFalse();

		assertThat(tracked.finishedRun().status()).isEqualTo(BatchStatus.FAILED);
		assertThat(tracked.finishedRun().exitCode()).isEqualTo("FAILED");
	}

	@Test
	void afterJobWinsOverAConclusion() {
		// given
		JobExecution execution = Executions.running("importJob");
		TrackedExecution tracked = new TrackedExecution(execution, GROUP);
		tracked.conclude(null, Instant.now());
		// when
		Executions.ended(execution, BatchStatus.COMPLETED);
		execution.setExitStatus(new ExitStatus("CUSTOM"));
		tracked.end();
		// then
		assertThat(tracked.finishedRun().status()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(tracked.finishedRun().exitCode()).isEqualTo("CUSTOM");
	}

	@Test
	void progressChangesWhenAStepStartsMovesOrEnds() {
		// given
		JobExecution execution = Executions.running("importJob");
		TrackedExecution tracked = new TrackedExecution(execution, GROUP);
		long none = tracked.progress();
		// when / then
		StepExecution step = Executions.step(execution, "load");
		long started = tracked.progress();
		assertThat(started).isNotEqualTo(none);
		step.setReadCount(10);
		long read = tracked.progress();
		assertThat(read).isNotEqualTo(started);
		step.setWriteCount(10);
		long written = tracked.progress();
		assertThat(written).isNotEqualTo(read);
		step.setStatus(BatchStatus.COMPLETED);
		assertThat(tracked.progress()).isNotEqualTo(written);
	}

	@Test
	void progressIsStableWithoutChange() {
		JobExecution execution = Executions.running("importJob");
		Executions.step(execution, "load").setReadCount(3);
		TrackedExecution tracked = new TrackedExecution(execution, GROUP);

		assertThat(tracked.progress()).isEqualTo(tracked.progress());
		assertThat(tracked.notes().progressFingerprint).isEqualTo(Long.MIN_VALUE);
	}

	@Test
	void anExecutionLeftStoppingWithAnEndTimeEndedAndFinishedStopped() {
		// given: a stop request landed after the job's thread had set the end
		JobExecution execution = Executions.ended(Executions.running("importJob"), BatchStatus.COMPLETED);
		execution.setStatus(BatchStatus.STOPPING);
		TrackedExecution tracked = new TrackedExecution(execution, GROUP);
		// when / then
		assertThat(tracked.endedWithoutAfterJob()).isTrue();
		tracked.end();
		assertThat(tracked.endedWithoutAfterJob()).isFalse();
		assertThat(tracked.finishedRun().status()).isEqualTo(BatchStatus.STOPPED);
	}

	@Test
	void aStopRequestAfterTheEndWasRecordedIsNotRunAndSavesNothing() {
		// given: the job completed and its afterJob recorded the end before the shutdown's request
		JobRepository repository = mock(JobRepository.class);
		GracefulStop stop = new GracefulStop(repository, null);
		JobExecution execution = Executions.running("importJob");
		TrackedExecution tracked = new TrackedExecution(execution, GROUP);
		Executions.ended(execution, BatchStatus.COMPLETED);
		tracked.end();
		AtomicBoolean run = new AtomicBoolean();
		// when
		boolean asked = tracked.ifNotEnded((ending) -> {
			run.set(true);
			return stop.request(ending);
		});
		// then
		assertThat(asked).isFalse();
		assertThat(run).as("request run").isFalse();
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(execution.getExitStatus().getExitCode()).isEqualTo("COMPLETED");
		then(repository).should(never()).update(any(JobExecution.class));
	}

	@Test
	void theEndIsRecordedOnlyOnceAStopRequestInProgressIsSaved() throws Exception {
		// given: the shutdown's request is saving STOPPING when the job's afterJob records the end
		JobRepository repository = mock(JobRepository.class);
		JobExecution execution = Executions.running("importJob");
		TrackedExecution tracked = new TrackedExecution(execution, GROUP);
		CountDownLatch endCalled = new CountDownLatch(1);
		Thread jobThread = new Thread(() -> {
			endCalled.countDown();
			tracked.end();
		}, "job");
		Thread.State[] whileSaving = new Thread.State[1];
		boolean[] overWhileSaving = new boolean[1];
		willAnswer((invocation) -> {
			jobThread.start();
			assertThat(endCalled.await(5, TimeUnit.SECONDS)).isTrue();
			whileSaving[0] = awaitBlockedOrDone(jobThread);
			overWhileSaving[0] = tracked.isOver();
			return null;
		}).given(repository).update(execution);
		// when
		boolean asked = tracked.ifNotEnded(new GracefulStop(repository, null)::request);
		// then
		jobThread.join(5000);
		assertThat(asked).isTrue();
		assertThat(whileSaving[0]).as("the job's thread while the request saves").isEqualTo(Thread.State.BLOCKED);
		assertThat(overWhileSaving[0]).isFalse();
		assertThat(jobThread.isAlive()).isFalse();
		assertThat(tracked.isOver()).isTrue();
	}

	/** Waits, at most 5 seconds, until the thread waits for a lock or is done. */
	private static Thread.State awaitBlockedOrDone(Thread thread) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		Thread.State state = thread.getState();
		while (state != Thread.State.BLOCKED && state != Thread.State.TERMINATED && System.nanoTime() < deadline) {
			Thread.yield();
			state = thread.getState();
		}
		return state;
	}

	@Test
	void endTimeAloneWhileStillRunningIsNotAnEnd() {
		JobExecution execution = Executions.running("importJob");
		execution.setEndTime(LocalDateTime.now());
		TrackedExecution tracked = new TrackedExecution(execution, GROUP);

		assertThat(tracked.endedWithoutAfterJob()).isFalse();
		assertThat(tracked.finishedRun()).isNull();
	}

}
