package io.github.batchpushgateway.batch;

import java.time.LocalDateTime;
import java.util.function.BooleanSupplier;

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
 * Here only the step's own thread saves the step while it can still reach a stop point; only the
 * last resort, as the process exits, saves it too. Not for steps that run in other processes
 * (remote partitioning): they see the stop through the job repository as Spring Batch intends.
 *
 * <p>Internal; not an extension point: public only for the starter's other packages, and may
 * change in any release.
 */
public final class GracefulStop {

	private final JobRepository repository;

	private final @Nullable JobRegistry registry;

	private final BooleanSupplier processExiting;

	/** Never registered: {@link Runtime#removeShutdownHook} refuses any thread while the JVM exits. */
	private static final Thread SHUTDOWN_PROBE = new Thread(() -> {
	});

	/**
	 * Creates a stop that saves through the given repository.
	 * @param repository the job repository the executions run in
	 * @param registry finds the running steps, to tell stoppable tasklets, or {@code null} to ask
	 * through the repository only
	 */
	public GracefulStop(JobRepository repository, @Nullable JobRegistry registry) {
		this(repository, registry, GracefulStop::jvmExiting);
	}

	GracefulStop(JobRepository repository, @Nullable JobRegistry registry, BooleanSupplier processExiting) {
		Assert.notNull(repository, "'repository' must not be null");
		Assert.notNull(processExiting, "'processExiting' must not be null");
		this.repository = repository;
		this.registry = registry;
		this.processExiting = processExiting;
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
	 * ended now: the process is about to exit, and the step will not save again. Spring Batch's
	 * {@code JobOperator.stop} saves a job so at once; here it is the last resort. When the JVM is
	 * exiting, its running steps are saved {@code STOPPED} too, as Spring Batch's
	 * {@code JobOperator.recover} saves them {@code FAILED}: Spring Batch refuses to restart a job
	 * while a step of its last execution is saved as running, so a STOPPED job with a STARTED step
	 * could never be restarted. What the step committed stays (the counts of its last commit; its
	 * execution context is not saved), so a restart resumes from there. When the JVM goes on (a
	 * context closed in a process that lives on), the step's thread may still be working, and the
	 * step is left running: that refusal then keeps a restart from running it twice at once. A
	 * step that ends at the very instant it is saved here is saved STOPPED and runs again on
	 * restart. Not an execution with an end time: its job's thread has reached the end and saves
	 * it itself (STOPPING with an end time as STOPPED), with the exit code and end time it set,
	 * which this would replace.
	 * @param execution an execution this stop was requested for
	 * @return whether it was saved as stopped
	 * @throws RuntimeException when the repository cannot save a step or the execution; a step
	 * it could not save is left as it was, in memory too
	 */
	public boolean endAsStopped(JobExecution execution) {
		if (execution.getStatus() != BatchStatus.STOPPING || execution.getEndTime() != null) {
			return false;
		}
		LocalDateTime now = LocalDateTime.now();
		if (this.processExiting.getAsBoolean()) {
			for (StepExecution step : execution.getStepExecutions()) {
				if (step.getStatus().isRunning()) {
					saveStopped(step, now);
				}
			}
		}
		execution.setStatus(BatchStatus.STOPPED);
		execution.setExitStatus(ExitStatus.STOPPED);
		execution.setEndTime(now);
		this.repository.update(execution);
		return true;
	}

	private void saveStopped(StepExecution step, LocalDateTime now) {
		BatchStatus status = step.getStatus();
		ExitStatus exitStatus = step.getExitStatus();
		LocalDateTime end = step.getEndTime();
		step.setStatus(BatchStatus.STOPPED);
		step.setExitStatus(ExitStatus.STOPPED);
		step.setEndTime(now);
		try {
			this.repository.update(step);
		}
		catch (RuntimeException ex) {
			// The step's own thread saved meanwhile, or the repository failed: what is pushed of
			// the step stays what the repository holds.
			step.setStatus(status);
			step.setExitStatus(exitStatus);
			step.setEndTime(end);
			throw ex;
		}
	}

	/** Whether the JVM is running its shutdown hooks: Runtime refuses hook changes then. */
	private static boolean jvmExiting() {
		try {
			Runtime.getRuntime().removeShutdownHook(SHUTDOWN_PROBE);
			return false;
		}
		catch (IllegalStateException ex) {
			return true;
		}
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
