package io.github.batchpushgateway.batch;

import java.time.LocalDateTime;

import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.configuration.JobRegistry;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.StepLocator;
import org.springframework.batch.core.step.tasklet.StoppableTasklet;
import org.springframework.batch.core.step.tasklet.TaskletStep;
import org.springframework.dao.OptimisticLockingFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.withSettings;

/**
 * Tests for {@link GracefulStop}, with a mocked job repository and registry.
 */
class GracefulStopTests {

	private final JobRepository repository = mock(JobRepository.class);

	private final JobRegistry registry = mock(JobRegistry.class);

	private boolean processExiting = true;

	private final GracefulStop stop = new GracefulStop(this.repository, this.registry, () -> this.processExiting);

	@Test
	void aRunningExecutionIsSavedStoppingWhileOnlyItsStepsOwnThreadSavesTheStep() {
		JobExecution execution = Executions.running("importJob");
		Executions.step(execution, "load");
		given(this.registry.getJob("importJob")).willReturn(mock(Job.class));

		assertThat(this.stop.request(execution)).isTrue();

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.STOPPING);
		assertThat(execution.getEndTime()).as("the job has not ended: its step is still running").isNull();
		assertThat(execution.getStepExecutions()).allMatch(StepExecution::isTerminateOnly);
		then(this.repository).should().update(execution);
		then(this.repository).should(never()).update(any(StepExecution.class));
		then(this.repository).should(never()).updateExecutionContext(any(StepExecution.class));
	}

	@Test
	void anExecutionThatNoLongerRunsIsLeftAsItIs() {
		JobExecution execution = Executions.ended(Executions.running("importJob"), BatchStatus.COMPLETED);

		assertThat(this.stop.request(execution)).isFalse();

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		then(this.repository).should(never()).update(any(JobExecution.class));
	}

	@Test
	void anExecutionWithAnEndTimeIsLeftToTheJobsThreadThatIsEndingIt() {
		// the job's thread has set the end time and is saving the outcome
		JobExecution execution = Executions.running("importJob");
		StepExecution step = Executions.step(execution, "load");
		execution.setEndTime(LocalDateTime.now());

		assertThat(this.stop.request(execution)).isFalse();

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.STARTED);
		assertThat(step.isTerminateOnly()).isFalse();
		then(this.repository).should(never()).update(any(JobExecution.class));
	}

	@Test
	void theStoppableTaskletOfTheRunningStepIsToldWithItsStepInContext() {
		JobExecution execution = Executions.running("importJob");
		Executions.step(execution, "done").setStatus(BatchStatus.COMPLETED);
		StepExecution running = Executions.step(execution, "command");
		StoppableTasklet tasklet = mock(StoppableTasklet.class);
		StoppableTasklet finishedTasklet = mock(StoppableTasklet.class);
		Job job = mock(Job.class, withSettings().extraInterfaces(StepLocator.class));
		TaskletStep command = taskletStep(tasklet);
		TaskletStep done = taskletStep(finishedTasklet);
		given(((StepLocator) job).getStep("command")).willReturn(command);
		given(((StepLocator) job).getStep("done")).willReturn(done);
		given(this.registry.getJob("importJob")).willReturn(job);
		StepExecution[] inContext = new StepExecution[1];
		willAnswer((invocation) -> {
			inContext[0] = StepSynchronizationManager.getContext().getStepExecution();
			return null;
		}).given(tasklet).stop(running);

		this.stop.request(execution);

		then(tasklet).should().stop(running);
		then(finishedTasklet).should(never()).stop(any(StepExecution.class));
		assertThat(running.isTerminateOnly()).isTrue();
		assertThat(execution.getStepExecutions()).filteredOn((step) -> step.getStepName().equals("done"))
			.noneMatch(StepExecution::isTerminateOnly);
		assertThat(inContext[0]).isSameAs(running);
		assertThat(StepSynchronizationManager.getContext()).as("context released").isNull();
	}

	@Test
	void withoutARegistryTheStopGoesThroughTheRepositoryOnly() {
		JobExecution execution = Executions.running("importJob");
		Executions.step(execution, "load");

		assertThat(new GracefulStop(this.repository, null).request(execution)).isTrue();

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.STOPPING);
		then(this.repository).should().update(execution);
	}

	@Test
	void anExecutionAskedToStopThatDidNotGetThereIsEndedAsStoppedWithItsRunningStepSoThatItCanBeRestarted() {
		// Spring Batch refuses a restart while a step of the last execution is saved as running
		JobExecution execution = Executions.running("importJob");
		StepExecution done = Executions.step(execution, "load");
		done.setStatus(BatchStatus.COMPLETED);
		done.setExitStatus(ExitStatus.COMPLETED);
		StepExecution sleeping = Executions.step(execution, "sleep");
		this.stop.request(execution);

		assertThat(this.stop.endAsStopped(execution)).isTrue();

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.STOPPED);
		assertThat(execution.getExitStatus().getExitCode()).isEqualTo("STOPPED");
		assertThat(execution.getEndTime()).isNotNull();
		assertThat(sleeping.getStatus()).isEqualTo(BatchStatus.STOPPED);
		assertThat(sleeping.getExitStatus().getExitCode()).isEqualTo("STOPPED");
		assertThat(sleeping.getEndTime()).isEqualTo(execution.getEndTime());
		assertThat(done.getStatus()).as("a step that had ended").isEqualTo(BatchStatus.COMPLETED);
		InOrder order = inOrder(this.repository);
		order.verify(this.repository).update(sleeping);
		order.verify(this.repository).update(execution);
		then(this.repository).should(never()).update(done);
		then(this.repository).should(never()).updateExecutionContext(any(StepExecution.class));
	}

	@Test
	void inAJvmThatGoesOnTheRunningStepIsLeftToItsThread() {
		// a context closed in a process that lives on: the step's thread may still be working, and
		// Spring Batch's refusal to restart a job with a running step keeps it from running twice
		this.processExiting = false;
		JobExecution execution = Executions.running("importJob");
		StepExecution sleeping = Executions.step(execution, "sleep");
		this.stop.request(execution);

		assertThat(this.stop.endAsStopped(execution)).isTrue();

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.STOPPED);
		assertThat(sleeping.getStatus()).isEqualTo(BatchStatus.STARTED);
		then(this.repository).should(never()).update(any(StepExecution.class));
	}

	@Test
	void aStepThatCannotBeSavedLeavesTheExecutionUnsavedForShutdownToPushAsInterrupted() {
		// a STOPPED job with a step the repository still shows running could not be restarted
		JobExecution execution = Executions.running("importJob");
		StepExecution step = Executions.step(execution, "sleep");
		this.stop.request(execution);
		willThrow(new OptimisticLockingFailureException("saved meanwhile by the step's thread")).given(this.repository)
			.update(step);

		assertThatExceptionOfType(OptimisticLockingFailureException.class)
			.isThrownBy(() -> this.stop.endAsStopped(execution));

		assertThat(step.getStatus()).as("in memory as in the repository").isEqualTo(BatchStatus.STARTED);
		assertThat(step.getEndTime()).isNull();

		then(this.repository).should(times(1).description("the stop request's save of STOPPING only")).update(execution);
	}

	@Test
	void anExecutionWithAnEndTimeIsNotEndedAsStoppedOverItsJobsOwnEnd() {
		// the job's thread has reached the end of an execution asked to stop, and saves it itself
		JobExecution execution = Executions.running("importJob");
		execution.setStatus(BatchStatus.STOPPING);
		LocalDateTime end = LocalDateTime.now().minusSeconds(1);
		execution.setEndTime(end);
		execution.setExitStatus(new ExitStatus("PARTIAL"));

		assertThat(this.stop.endAsStopped(execution)).isFalse();

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.STOPPING);
		assertThat(execution.getExitStatus().getExitCode()).isEqualTo("PARTIAL");
		assertThat(execution.getEndTime()).isEqualTo(end);
		then(this.repository).should(never()).update(any(JobExecution.class));
	}

	@Test
	void onlyAnExecutionAskedToStopIsEndedAsStopped() {
		JobExecution running = Executions.running("importJob");
		JobExecution completed = Executions.ended(Executions.running("importJob"), BatchStatus.COMPLETED);

		assertThat(this.stop.endAsStopped(running)).isFalse();
		assertThat(this.stop.endAsStopped(completed)).isFalse();

		assertThat(running.getStatus()).isEqualTo(BatchStatus.STARTED);
		assertThat(completed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		then(this.repository).should(never()).update(any(JobExecution.class));
	}

	private static TaskletStep taskletStep(StoppableTasklet tasklet) {
		TaskletStep step = mock(TaskletStep.class);
		given(step.getTasklet()).willReturn(tasklet);
		return step;
	}

}
