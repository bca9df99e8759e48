package io.github.batchpushgateway.batch;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.github.batchpushgateway.push.Delivery;
import io.github.batchpushgateway.push.GroupSender;
import io.github.batchpushgateway.push.PushGroup;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;

/**
 * Tests for {@link JobEventRecorder}: the job's thread records and asks for a push, nothing more,
 * and only the job's end waits.
 */
class JobEventRecorderTests {

	private static final PushGroup GROUP = PushGroup.of("importJob");

	private final GroupSender sender = mock(GroupSender.class);

	private final GroupStates groups = TestGroupStates.of(null);

	/** Elapsed nanoseconds, advanced by the tests instead of sleeping. */
	private final AtomicLong ticker = new AtomicLong();

	private final JobEventRecorder recorder = new JobEventRecorder(this.groups, this.sender, Duration.ofMillis(200),
			this.ticker::get);

	@Test
	void jobStartTracksTheExecutionInItsGroupAndSaysItStartedWithoutWaiting() {
		JobExecution execution = Executions.running("importJob");

		this.recorder.jobStarted(execution);

		then(this.sender).should().started(GROUP);
		then(this.sender).should(never()).changed(any());
		then(this.sender).should(never()).request(any());
		assertThat(this.groups.tracked(execution)).isNotNull();
		assertThat(this.groups.get(GROUP).executions()).extracting((tracked) -> tracked.execution)
			.containsExactly(execution);
	}

	@Test
	void stepEndSaysItsJobsGroupChangedWithoutWaiting() {
		JobExecution execution = Executions.running("importJob");
		this.recorder.jobStarted(execution);

		this.recorder.stepEnded(Executions.step(execution, "load"));

		then(this.sender).should().started(GROUP);
		then(this.sender).should().changed(GROUP);
		then(this.sender).should(never()).request(any());
	}

	@Test
	void stepOfAJobThatIsNotTrackedIsIgnored() {
		this.recorder.stepEnded(Executions.step(Executions.running("otherJob"), "load"));

		then(this.sender).should(never()).changed(any());
	}

	@Test
	void jobEndMarksTheExecutionEndedAndWaitsForItsDelivery() {
		given(this.sender.request(GROUP)).willReturn(mock(Delivery.class));
		JobExecution execution = Executions.running("importJob");
		this.recorder.jobStarted(execution);
		Delivery delivery = mock(Delivery.class);
		given(delivery.await(Duration.ofMillis(200))).willReturn(true);
		given(this.sender.request(GROUP)).willReturn(delivery);

		boolean delivered = this.recorder.jobEnded(Executions.ended(execution, BatchStatus.COMPLETED));

		assertThat(delivered).isTrue();
		assertThat(this.groups.tracked(execution).isOver()).isTrue();
		then(delivery).should().await(Duration.ofMillis(200));
	}

	@Test
	void aJobEndThatWaitedItsWholeFlushTimeoutLeavesTheShutdownNothing() {
		Delivery pending = mock(Delivery.class);
		willAnswer((invocation) -> {
			this.ticker.addAndGet(Duration.ofMillis(200).toNanos()); // the recorder's flush timeout
			return false;
		}).given(pending).await(any());
		given(this.sender.request(GROUP)).willReturn(pending);

		this.recorder.jobEnded(Executions.ended(Executions.running("importJob"), BatchStatus.COMPLETED));

		assertThat(this.recorder.budgetLeftAfterUndeliveredEnd()).isZero();
	}

	@Test
	void aJobEndWhoseDeliveryWasGivenUpEarlyLeavesTheShutdownTheRestOfItsBudget() {
		// the retries ran out after 50 ms of a 200 ms flush timeout
		Delivery givenUp = mock(Delivery.class);
		willAnswer((invocation) -> {
			this.ticker.addAndGet(Duration.ofMillis(50).toNanos());
			return false;
		}).given(givenUp).await(any());
		given(givenUp.isDone()).willReturn(true);
		given(this.sender.request(GROUP)).willReturn(givenUp);

		this.recorder.jobEnded(Executions.ended(Executions.running("importJob"), BatchStatus.COMPLETED));
		this.ticker.addAndGet(Duration.ofMillis(30).toNanos());

		assertThat(this.recorder.budgetLeftAfterUndeliveredEnd()).isEqualTo(Duration.ofMillis(150));
	}

	@Test
	void anUndeliveredJobEndLongerAgoThanTheFlushTimeoutLeavesTheShutdownItsWholeBudget() {
		Delivery pending = mock(Delivery.class);
		willAnswer((invocation) -> {
			this.ticker.addAndGet(Duration.ofMillis(200).toNanos());
			return false;
		}).given(pending).await(any());
		given(this.sender.request(GROUP)).willReturn(pending);
		this.recorder.jobEnded(Executions.ended(Executions.running("importJob"), BatchStatus.COMPLETED));

		this.ticker.addAndGet(Duration.ofMillis(200).toNanos());

		assertThat(this.recorder.budgetLeftAfterUndeliveredEnd()).isEqualTo(Duration.ofMillis(200));
	}

	@Test
	void withoutAnUndeliveredJobEndTheShutdownHasItsWholeBudget() {
		assertThat(this.recorder.budgetLeftAfterUndeliveredEnd()).isEqualTo(Duration.ofMillis(200));
	}

	@Test
	void aStepStartingHereIsNotedAndNothingIsSent() {
		JobExecution execution = Executions.running("gridJob");
		Executions.step(execution, "manager");
		StepExecution partition = Executions.partition(execution, "worker:partition0");
		this.recorder.jobStarted(execution);
		assertThat(this.groups.tracked(execution).stepsRunElsewhere()).containsExactly(partition);

		this.recorder.stepStarted(partition);

		assertThat(this.groups.tracked(execution).stepsRunElsewhere()).isEmpty();
		then(this.sender).should().started(PushGroup.of("gridJob"));
		then(this.sender).shouldHaveNoMoreInteractions();
	}

	@Test
	void aStepOfAnExecutionNotTrackedHereIsIgnored() {
		// as in a worker JVM, whose job executions are read from the repository
		this.recorder.stepStarted(Executions.partition(Executions.running("gridJob"), "worker:partition0"));

		then(this.sender).shouldHaveNoInteractions();
	}

	@Test
	void anAfterJobThatComesOnceTheSendingSideConcludedTheExecutionIsTrackedAnew() {
		// the end looked unsaved, so the sending side concluded the execution UNKNOWN and took it in
		given(this.sender.request(GROUP)).willReturn(mock(Delivery.class));
		JobExecution execution = Executions.running("importJob");
		this.recorder.jobStarted(execution);
		TrackedExecution concluded = this.groups.tracked(execution);
		Executions.ended(execution, BatchStatus.COMPLETED);
		concluded.endWithoutAfterJob(null);
		assertThat(concluded.finishedRun().status()).isEqualTo(BatchStatus.UNKNOWN);
		this.groups.takeInEnded(this.groups.get(GROUP));
		assertThat(this.groups.tracked(execution)).isNull();

		this.recorder.jobEnded(execution);

		TrackedExecution again = this.groups.tracked(execution);
		assertThat(again).isNotSameAs(concluded);
		assertThat(again.finishedRun().status()).isEqualTo(BatchStatus.COMPLETED);
		then(this.sender).should().request(GROUP);
	}

	@Test
	void anAfterJobThatFindsTheExecutionJustAsTheSendingSideTakesItsConclusionInIsTrackedAnew() {
		// jobEnded finds the execution tracked; before it records the end, the sending side takes in
		// the UNKNOWN conclusion and lets go of it
		GroupStates groups = spy(TestGroupStates.of(null));
		JobEventRecorder recorder = new JobEventRecorder(groups, this.sender, Duration.ofMillis(200));
		given(this.sender.request(GROUP)).willReturn(mock(Delivery.class));
		JobExecution execution = Executions.running("importJob");
		recorder.jobStarted(execution);
		TrackedExecution concluded = groups.tracked(execution);
		Executions.ended(execution, BatchStatus.COMPLETED);
		concluded.endWithoutAfterJob(null);
		willAnswer((invocation) -> {
			TrackedExecution found = (TrackedExecution) invocation.callRealMethod();
			if (found == concluded) {
				groups.takeInEnded(groups.get(GROUP));
			}
			return found;
		}).given(groups).tracked(execution);

		recorder.jobEnded(execution);

		TrackedExecution again = groups.get(GROUP).executions().get(0);
		assertThat(again).isNotSameAs(concluded);
		assertThat(again.finishedRun().status()).isEqualTo(BatchStatus.COMPLETED);
	}

	@Test
	void jobEndOfAnExecutionWhoseStartWasNotSeenIsStillPushed() {
		Delivery delivery = mock(Delivery.class);
		given(this.sender.request(GROUP)).willReturn(delivery);
		JobExecution execution = Executions.ended(Executions.running("importJob"), BatchStatus.FAILED);

		this.recorder.jobEnded(execution);

		assertThat(this.groups.tracked(execution).isOver()).isTrue();
		then(this.sender).should().request(GROUP);
	}

	@Test
	void aFailureToRecordNeverReachesTheJob() {
		willThrow(new IllegalStateException("scheduler gone")).given(this.sender).started(any());
		given(this.sender.request(any())).willThrow(new IllegalStateException("scheduler gone"));
		JobExecution execution = Executions.running("importJob");

		this.recorder.jobStarted(execution);
		boolean delivered = this.recorder.jobEnded(Executions.ended(execution, BatchStatus.COMPLETED));

		assertThat(delivered).isFalse();
	}

}
