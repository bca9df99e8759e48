package io.github.batchpushgateway.batch;

import io.github.batchpushgateway.push.GroupSender;
import io.github.batchpushgateway.push.PushGroup;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;

/**
 * Tests for {@link Heartbeat}.
 */
class HeartbeatTests {

	private final GroupSender sender = mock(GroupSender.class);

	private final JobRepository repository = mock(JobRepository.class);

	private final GroupStates groups = TestGroupStates.of(this.repository);

	private final Heartbeat heartbeat = new Heartbeat(this.groups, this.sender);

	@Test
	void everyGroupWithARunningExecutionIsPushedAtEveryBeatWhetherItProgressedOrNot() {
		this.groups.track(Executions.running("importJob"));

		this.heartbeat.run();
		this.heartbeat.run();

		then(this.sender).should(times(2)).refresh(PushGroup.of("importJob"));
	}

	@Test
	void aGroupWhoseLastExecutionLeftPartitionsRunningElsewhereIsPushedUntilTheyEnd() {
		// given an execution that ended while the repository showed one of its partitions running
		JobExecution execution = Executions.running("gridJob");
		Executions.step(execution, "manager");
		StepExecution partition = Executions.partition(execution, "worker:partition0");
		JobExecution stored = Executions.copyOf(execution);
		StepExecution storedPartition = new StepExecution(partition.getId(), "worker:partition0", stored);
		storedPartition.setStatus(BatchStatus.STARTED);
		stored.addStepExecution(storedPartition);
		given(this.repository.getJobExecution(execution.getId())).willReturn(stored);
		TrackedExecution tracked = this.groups.track(execution);
		tracked.end();
		Executions.ended(execution, BatchStatus.FAILED);
		this.groups.snapshot(PushGroup.of("gridJob"));

		// when beats come, the second after the partition ended
		this.heartbeat.run();
		Executions.ended(stored, BatchStatus.FAILED);
		storedPartition.setStatus(BatchStatus.COMPLETED);
		this.groups.snapshot(PushGroup.of("gridJob"));
		this.heartbeat.run();

		// then only the first pushed the group
		then(this.sender).should(times(1)).refresh(PushGroup.of("gridJob"));
	}

	@Test
	void groupsWithNothingRunningAreLeftAlone() {
		JobExecution execution = Executions.running("importJob");
		TrackedExecution tracked = this.groups.track(execution);
		tracked.end();
		this.groups.takeInEnded(this.groups.get(tracked.group));

		this.heartbeat.run();

		then(this.sender).should(never()).refresh(PushGroup.of("importJob"));
	}

	@Test
	void anExecutionWhoseEndTheRepositoryFailedToSaveIsEndedAtTheSixthLook() {
		JobExecution execution = Executions.running("importJob");
		TrackedExecution tracked = this.groups.track(execution);
		given(this.repository.getJobExecution(execution.getId())).willReturn(Executions.copyOf(execution));
		Executions.ended(execution, BatchStatus.COMPLETED);

		assertEndedAtTheSixthLook(tracked);
		assertThat(this.groups.tracked(execution)).isNull();
		assertThat(tracked.finishedRun().status()).as("an end nobody recorded").isEqualTo(BatchStatus.UNKNOWN);
	}

	@Test
	void anExecutionTheRepositoryShowsEndedIsGivenTimeForSlowAfterJobListeners() {
		JobExecution execution = Executions.running("importJob");
		TrackedExecution tracked = this.groups.track(execution);
		Executions.ended(execution, BatchStatus.COMPLETED);
		given(this.repository.getJobExecution(execution.getId())).willReturn(execution);

		assertEndedAtTheSixthLook(tracked);
		assertThat(tracked.finishedRun().status()).isEqualTo(BatchStatus.COMPLETED);
	}

	@Test
	void anExecutionTheRepositoryKeepsStoppingWithAnEndTimeIsGivenTimeForSlowAfterJobListeners() {
		// the resourceless repository returns the execution in hand, which a late stop request
		// left STOPPING with its end time
		JobExecution execution = Executions.running("importJob");
		TrackedExecution tracked = this.groups.track(execution);
		Executions.ended(execution, BatchStatus.COMPLETED).setStatus(BatchStatus.STOPPING);
		given(this.repository.getJobExecution(execution.getId())).willReturn(execution);

		assertEndedAtTheSixthLook(tracked);
	}

	/** Five heartbeats leave the execution to its afterJob listeners; the sixth ends it. */
	private void assertEndedAtTheSixthLook(TrackedExecution tracked) {
		for (int look = 1; look < 6; look++) {
			this.heartbeat.run();
			assertThat(tracked.isOver()).as("ended at look %d", look).isFalse();
		}
		this.heartbeat.run();
		assertThat(tracked.isOver()).isTrue();
	}

}
