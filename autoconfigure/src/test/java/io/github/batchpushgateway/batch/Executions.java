package io.github.batchpushgateway.batch;

import java.time.LocalDateTime;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.step.StepExecution;

/**
 * Job executions built by hand, as Spring Batch would have them at a given point of their life.
 */
final class Executions {

	private static final AtomicLong ids = new AtomicLong(100);

	private Executions() {
	}

	static JobExecution running(String jobName) {
		return running(jobName, new JobParameters());
	}

	static JobExecution running(String jobName, String parameter, String value) {
		return running(jobName, new JobParametersBuilder().addString(parameter, value).toJobParameters());
	}

	static JobExecution running(String jobName, JobParameters parameters) {
		long id = ids.incrementAndGet();
		JobExecution execution = new JobExecution(id, new JobInstance(id, jobName), parameters);
		execution.setStartTime(LocalDateTime.now());
		execution.setStatus(BatchStatus.STARTED);
		return execution;
	}

	/** The job repository's copy of an execution: another object, same ids and start. */
	static JobExecution copyOf(JobExecution execution) {
		JobExecution copy = new JobExecution(execution.getId(), execution.getJobInstance(),
				execution.getJobParameters());
		copy.setStartTime(execution.getStartTime());
		copy.setStatus(execution.getStatus());
		return copy;
	}

	static StepExecution step(JobExecution execution, String name) {
		StepExecution step = new StepExecution(ids.incrementAndGet(), name, execution);
		step.setStartTime(LocalDateTime.now());
		step.setStatus(BatchStatus.STARTED);
		execution.addStepExecution(step);
		return step;
	}

	/**
	 * A partition as the manager's splitter creates it: saved STARTING, run by a worker (in this
	 * JVM or another) from there.
	 */
	static StepExecution partition(JobExecution execution, String name) {
		StepExecution step = new StepExecution(ids.incrementAndGet(), name, execution);
		step.setCreateTime(LocalDateTime.now());
		step.setStatus(BatchStatus.STARTING);
		execution.addStepExecution(step);
		return step;
	}

	static JobExecution ended(JobExecution execution, BatchStatus status) {
		execution.setStatus(status);
		execution.setExitStatus(new ExitStatus(status.name()));
		execution.setEndTime(LocalDateTime.now());
		return execution;
	}

}
