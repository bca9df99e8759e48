package io.github.batchpushgateway.batch;

import java.time.LocalDateTime;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.configuration.JobRegistry;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.StepLocator;
import org.springframework.batch.core.step.tasklet.StoppableTasklet;
import org.springframework.batch.core.step.tasklet.TaskletStep;
import org.springframework.util.Assert;

/**
 * Asks a running job execution to stop, the way Spring Batch's steps look for it: the execution
 * is saved as {@code STOPPING} and its running steps are marked to terminate (in memory, not
 * saved); a chunk step sees that at its next chunk boundary and ends {@code STOPPED}, and so does
 * the job, restartable.
 * Tasklets that can be stopped ({@link StoppableTasklet}) are told as well. An execution whose
 * step does not get there before the process exits (a tasklet that sleeps through the request) is
 * then {@linkplain #endAsStopped ended as stopped}, so that it can be restarted.
 *
 * <p>Spring Batch 6's {@code JobOperator.stop} does this too, but it also saves the running step
 * execution from the calling thread while the step's own thread saves it at its chunk
 * boundaries: when the two meet, the step fails with an {@code OptimisticLockingFailureException}
 * and the job ends {@code FAILED} instead of {@code STOPPED} (spring-batch issues 5120 and 5484).
 * Here only the step's own thread saves the step. Not for steps that run in other processes
 * (remote partitioning): they see the stop through the job repository as Spring Batch intends.
 */
public final class GracefulStop {

	private final JobRepository repository;

	private final @Nullable JobRegistry registry;

	/**
	 * Creates a stop that saves through the given repository.
	 * @param repository the job repository the executions run in
	 * @param registry finds the running steps, to tell stoppable tasklets, or {@code null} to ask
	 * through the repository only
	 */
	public GracefulStop(JobRepository repository, @Nullable JobRegistry registry) {
		Assert.notNull(repository, "'repository' must not be null");
		this.repository = repository;
		this.registry = registry;
	}

	/**
	 * Asks the execution to stop, unless it is no longer running or its job's thread is ending it.
	 * The check and the save are not atomic with that thread's end: a caller that tracks the end
	 * keeps the end from being recorded meanwhile ({@code TrackedExecution.ifNotEnded}). What no
	 * lock of ours can close: a request that reads the status just before that thread sets the
	 * outcome saves STOPPING over it, and the job ends STOPPED, in the repository and in afterJob
	 * alike, as it does when Spring Batch's own stop is saved before the job's end.
	 * @param execution the running execution, the object its job's thread works on
	 * @return whether it was asked
	 */
	public boolean request(JobExecution execution) {
		BatchStatus status = execution.getStatus();
		// An end time means the job's thread has set the outcome and is saving it: STOPPING saved
		// now would have the repository turn that outcome into STOPPED (it does so for STOPPING
		// with an end time), and afterJob could read STOPPING, which counts as running.
		if ((status != BatchStatus.STARTED && status != BatchStatus.STARTING) || execution.getEndTime() != null) {
			return false;
		}
		execution.setStatus(BatchStatus.STOPPING);
		this.repository.update(execution);
		for (StepExecution step : execution.getStepExecutions()) {
			if (step.getStatus().isRunning()) {
				// What the repository does when a step saves while its job is stopping, in memory
				// only: the resourceless repository does it for STOPPED jobs alone.
				step.setTerminateOnly();
			}
		}
		stopTasklets(execution);
		return true;
	}

	/**
	 * Saves an execution that was asked to stop and has not reached its end as {@code STOPPED},
	 * ended now, with its running steps: the process is about to exit, and the step will not save
	 * again. Spring Batch's {@code JobOperator.stop} saves a job so at once; here it is the last
	 * resort. The steps are saved too, as Spring Batch's {@code JobOperator.recover} does: Spring
	 * Batch refuses to restart a job while a step of its last execution is saved as running, so a
	 * STOPPED job with a STARTED step could never be restarted. What the step committed stays as it
	 * is (the counts of its last commit; its execution context is not saved), so a restart resumes
	 * from there. Not an execution with an end time: its job's thread has reached the end and saves
	 * it itself (STOPPING with an end time as STOPPED), with the exit code and end time it set,
	 * which this would replace.
	 * @param execution an execution this stop was requested for
	 * @return whether it was saved as stopped
	 */
	public boolean endAsStopped(JobExecution execution) {
		if (execution.getStatus() != BatchStatus.STOPPING || execution.getEndTime() != null) {
			return false;
		}
		LocalDateTime now = LocalDateTime.now();
		for (StepExecution step : execution.getStepExecutions()) {
			if (step.getStatus().isRunning()) {
				step.setStatus(BatchStatus.STOPPED);
				step.setExitStatus(ExitStatus.STOPPED);
				step.setEndTime(now);
				this.repository.update(step);
			}
		}
		execution.setStatus(BatchStatus.STOPPED);
		execution.setExitStatus(ExitStatus.STOPPED);
		execution.setEndTime(now);
		this.repository.update(execution);
		return true;
	}

	private void stopTasklets(JobExecution execution) {
		Job job = (this.registry != null) ? this.registry.getJob(execution.getJobInstance().getJobName()) : null;
		if (!(job instanceof StepLocator steps)) {
			return;
		}
		for (StepExecution stepExecution : execution.getStepExecutions()) {
			Step step = stepExecution.getStatus().isRunning() ? steps.getStep(stepExecution.getStepName()) : null;
			if (step instanceof TaskletStep taskletStep && taskletStep.getTasklet() instanceof StoppableTasklet tasklet) {
				StepSynchronizationManager.register(stepExecution);
				try {
					tasklet.stop(stepExecution);
				}
				finally {
					StepSynchronizationManager.release();
				}
			}
		}
	}

}
