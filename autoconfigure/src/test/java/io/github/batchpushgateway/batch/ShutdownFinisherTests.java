package io.github.batchpushgateway.batch;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.github.batchpushgateway.metrics.JobHistory.FinishedRun;
import io.github.batchpushgateway.push.GroupSender;
import io.github.batchpushgateway.push.PushGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.ArgumentCaptor;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;

/**
 * Tests for {@link ShutdownFinisher}.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShutdownFinisherTests {

	private static final PushGroup GROUP = PushGroup.of("importJob");

	private final GroupSender sender = mock(GroupSender.class);

	private final GracefulStop gracefulStop = mock(GracefulStop.class);

	private final JobRepository repository = mock(JobRepository.class);

	private final GroupStates groups = TestGroupStates.of(this.repository);

	/** Elapsed nanoseconds of the recorder, advanced by the tests instead of sleeping. */
	private final AtomicLong ticker = new AtomicLong();

	private final JobEventRecorder recorder = new JobEventRecorder(this.groups, this.sender, Duration.ofMillis(50),
			this.ticker::get);

	private final ShutdownFinisher finisher = new ShutdownFinisher(this.groups, this.sender, this.recorder,
			this.gracefulStop, this.groups.repository(), Duration.ofMillis(400), Clock.systemUTC());

	@Test
	void aRunningExecutionIsAskedToStopAndEndsAsItsJobDoes() throws Exception {
		JobExecution execution = Executions.running("importJob");
		TrackedExecution tracked = this.groups.track(execution);
		willAnswer((invocation) -> {
			// The job sees the stop at its next chunk and ends through afterJob.
			Executions.ended(execution, BatchStatus.STOPPED);
			tracked.end();
			return true;
		}).given(this.gracefulStop).request(execution);

		this.finisher.finish();

		assertThat(tracked.finishedRun().status()).isEqualTo(BatchStatus.STOPPED);
		then(this.sender).should().flush(any());
	}

	@Test
	void theStopRequestIsMadeWhileTheEndCannotBeRecorded() throws Exception {
		JobExecution execution = Executions.running("importJob");
		TrackedExecution tracked = this.groups.track(execution);
		boolean[] endHeldOff = new boolean[1];
		willAnswer((invocation) -> {
			endHeldOff[0] = Thread.holdsLock(tracked);
			Executions.ended(execution, BatchStatus.STOPPED);
			return true;
		}).given(this.gracefulStop).request(execution);

		this.finisher.finish();

		assertThat(endHeldOff[0]).as("the request holds the lock that end() takes").isTrue();
	}

	@Test
	void theLastResortStopIsSavedWhileTheEndCannotBeRecorded() throws Exception {
		JobExecution execution = Executions.running("importJob");
		TrackedExecution tracked = this.groups.track(execution);
		boolean[] endHeldOff = new boolean[1];
		given(this.gracefulStop.endAsStopped(execution)).willAnswer((invocation) -> {
			endHeldOff[0] = Thread.holdsLock(tracked);
			return false;
		});

		this.finisher.finish();

		assertThat(endHeldOff[0]).as("endAsStopped holds the lock that end() takes").isTrue();
	}

	@Test
	void anExecutionTheRepositoryShowsStoppingWithItsEndTimeIsPushedStoppedWithoutTheInterruptedWarn(
			CapturedOutput output) throws Exception {
		// the resourceless repository returns the object in hand, which a stop request that met
		// the job's end left STOPPING with its end time; afterJob has not come yet
		JobExecution execution = Executions.running("importJob");
		TrackedExecution tracked = this.groups.track(execution);
		given(this.repository.getJobExecution(execution.getId())).willReturn(execution);
		willAnswer((invocation) -> {
			Executions.ended(execution, BatchStatus.COMPLETED).setStatus(BatchStatus.STOPPING);
			return true;
		}).given(this.gracefulStop).request(execution);

		this.finisher.finish();

		assertThat(tracked.finishedRun().status()).isEqualTo(BatchStatus.STOPPED);
		assertThat(output).doesNotContain("pushed as interrupted");
	}

	@Test
	void anExecutionStillRunningInTheRepositoryIsConcludedAsInterrupted() throws Exception {
		JobExecution execution = Executions.running("importJob");
		TrackedExecution tracked = this.groups.track(execution);
		given(this.repository.getJobExecution(execution.getId())).willReturn(execution);

		long start = System.nanoTime();
		this.finisher.finish();

		FinishedRun run = tracked.finishedRun();
		assertThat(run.status()).isEqualTo(BatchStatus.UNKNOWN);
		assertThat(run.exitCode()).isEqualTo("INTERRUPTED");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		then(this.sender).should().request(GROUP);
	}

	@Test
	void anExecutionTheRepositoryShowsEndedIsConcludedAsTheRepositoryRecordsIt() throws Exception {
		JobExecution execution = Executions.running("importJob");
		TrackedExecution tracked = this.groups.track(execution);
		JobExecution stored = Executions.ended(Executions.copyOf(execution), BatchStatus.STOPPED);
		given(this.repository.getJobExecution(execution.getId())).willReturn(stored);
		// The stop request marks the object in hand STOPPED, while its step goes on.
		willAnswer((invocation) -> {
			execution.setStatus(BatchStatus.STOPPED);
			return true;
		}).given(this.gracefulStop).request(execution);

		this.finisher.finish();

		assertThat(tracked.finishedRun().status()).isEqualTo(BatchStatus.STOPPED);
		assertThat(tracked.finishedRun().end()).isEqualTo(
				io.github.batchpushgateway.metrics.BatchTimes.toInstant(stored.getEndTime()));
	}

	@Test
	void anExecutionThatDidNotStopInTimeIsEndedAsStoppedAndPushedSo() throws Exception {
		JobExecution execution = Executions.running("importJob");
		TrackedExecution tracked = this.groups.track(execution);
		JobExecution stored = Executions.ended(Executions.copyOf(execution), BatchStatus.STOPPED);
		given(this.gracefulStop.endAsStopped(execution)).willAnswer((invocation) -> {
			given(this.repository.getJobExecution(execution.getId())).willReturn(stored);
			return true;
		});

		this.finisher.finish();

		then(this.gracefulStop).should().request(execution);
		then(this.gracefulStop).should().endAsStopped(execution);
		assertThat(tracked.finishedRun().status()).isEqualTo(BatchStatus.STOPPED);
		then(this.sender).should().request(GROUP);
	}

	@Test
	void anotherRunTheRepositoryReturnsForTheSameIdIsNotTakenForTheRunInHand() throws Exception {
		// the resourceless repository gives every execution the same id and returns its latest
		JobExecution execution = Executions.running("importJob");
		TrackedExecution tracked = this.groups.track(execution);
		JobExecution latest = Executions.ended(Executions.running("exportJob"), BatchStatus.COMPLETED);
		given(this.repository.getJobExecution(execution.getId())).willReturn(latest);

		this.finisher.finish();

		assertThat(tracked.finishedRun().status()).isEqualTo(BatchStatus.UNKNOWN);
		assertThat(tracked.finishedRun().exitCode()).isEqualTo("INTERRUPTED");
	}

	@Test
	void withoutAGracefulStopNothingIsAskedToStop() throws Exception {
		ShutdownFinisher withoutStop = new ShutdownFinisher(this.groups, this.sender, this.recorder, null,
				TestGroupStates.of(null).repository(),
				Duration.ofMillis(100), Clock.systemUTC());
		TrackedExecution tracked = this.groups.track(Executions.running("importJob"));

		withoutStop.finish();

		assertThat(tracked.finishedRun().exitCode()).isEqualTo("INTERRUPTED");
		then(this.gracefulStop).should(never()).request(any(JobExecution.class));
	}

	@Test
	void aProcessWhoseJobEndJustWaitedInVainIsNotHeldUpASecondTime() {
		io.github.batchpushgateway.push.Delivery undelivered = mock(io.github.batchpushgateway.push.Delivery.class);
		willAnswer((invocation) -> {
			this.ticker.addAndGet(Duration.ofMillis(50).toNanos()); // the recorder's whole flush timeout
			return false;
		}).given(undelivered).await(any());
		given(this.sender.request(GROUP)).willReturn(undelivered);
		JobExecution execution = Executions.running("importJob");
		this.recorder.jobStarted(execution);
		this.recorder.jobEnded(Executions.ended(execution, BatchStatus.COMPLETED));

		this.finisher.finish();

		then(this.sender).should().flush(Duration.ZERO);
	}

	@Test
	void aProcessWhoseJobEndWasGivenUpEarlyFlushesWithWhatThatWaitLeft() {
		// the retries ran out at once: the shutdown tries again with the job end's unspent budget
		io.github.batchpushgateway.push.Delivery givenUp = mock(io.github.batchpushgateway.push.Delivery.class);
		given(givenUp.isDone()).willReturn(true);
		given(this.sender.request(GROUP)).willReturn(givenUp);
		JobExecution execution = Executions.running("importJob");
		this.recorder.jobStarted(execution);
		this.recorder.jobEnded(Executions.ended(execution, BatchStatus.COMPLETED));

		this.finisher.finish();

		ArgumentCaptor<Duration> budget = ArgumentCaptor.forClass(Duration.class);
		then(this.sender).should().flush(budget.capture());
		assertThat(budget.getValue()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(50));
	}

	@Test
	void anExecutionWhoseAfterJobComesWhileShutdownWaitsEndsWithItsOwnOutcome(CapturedOutput output)
			throws Exception {
		// its thread was still saving the end when the shutdown began
		given(this.sender.request(GROUP)).willReturn(mock(io.github.batchpushgateway.push.Delivery.class));
		JobExecution execution = Executions.running("importJob");
		this.recorder.jobStarted(execution);
		given(this.repository.getJobExecution(execution.getId())).willReturn(Executions.copyOf(execution));
		Executions.ended(execution, BatchStatus.COMPLETED);
		Thread afterJob = new Thread(() -> {
			sleep(50);
			this.recorder.jobEnded(execution);
		});
		afterJob.start();

		this.finisher.finish();
		afterJob.join();

		assertThat(this.groups.tracked(execution).finishedRun().status()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(output).doesNotContain("does not show that end");
	}

	@Test
	void anExecutionTheHeartbeatConcludesWhileShutdownWaitsIsStillPushed() {
		// the heartbeat runs on the sending side and asks for the push only after concluding
		JobExecution execution = Executions.running("importJob");
		TrackedExecution tracked = this.groups.track(execution);
		Executions.ended(execution, BatchStatus.COMPLETED);
		Thread heartbeat = new Thread(() -> {
			sleep(50);
			tracked.endWithoutAfterJob(null);
		});
		heartbeat.start();

		this.finisher.finish();

		then(this.sender).should().request(GROUP);
	}

	@Test
	void anExecutionWhoseAfterJobWasSkippedIsEndedAsItsRepositoryRecordsTheEnd() throws Exception {
		// a listener before the starter's threw: the end was saved, afterJob never comes
		JobExecution execution = Executions.running("importJob");
		TrackedExecution tracked = this.groups.track(execution);
		Executions.ended(execution, BatchStatus.COMPLETED);
		given(this.repository.getJobExecution(execution.getId()))
			.willReturn(Executions.ended(Executions.copyOf(execution), BatchStatus.COMPLETED));

		this.finisher.finish();

		assertThat(tracked.finishedRun().status()).isEqualTo(BatchStatus.COMPLETED);
		then(this.gracefulStop).should(never()).request(any(JobExecution.class));
		then(this.sender).should().request(GROUP);
	}

	@Test
	void anExecutionWhoseEndTheRepositoryDidNotSaveIsPushedAsUnknownNeverCompleted(CapturedOutput output)
			throws Exception {
		// the save of the end failed, so Spring Batch skipped afterJob: the repository still says STARTED
		JobExecution execution = Executions.running("importJob");
		TrackedExecution tracked = this.groups.track(execution);
		given(this.repository.getJobExecution(execution.getId())).willReturn(Executions.copyOf(execution));
		Executions.ended(execution, BatchStatus.COMPLETED);

		this.finisher.finish();

		assertThat(tracked.finishedRun().status()).isEqualTo(BatchStatus.UNKNOWN);
		assertThat(tracked.finishedRun().exitCode()).isEqualTo("UNKNOWN");
		assertThat(output).contains("Job 'importJob' (execution " + execution.getId()
				+ ") ended COMPLETED but its job repository does not show that end");
		then(this.sender).should().request(GROUP);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
