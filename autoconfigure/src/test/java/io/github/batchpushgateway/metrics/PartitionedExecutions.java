package io.github.batchpushgateway.metrics;

import java.time.LocalDateTime;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;

/**
 * A job execution with a partition step, built by hand as the manager's JVM holds it: the
 * splitter created the partitions while the manager step ran.
 */
final class PartitionedExecutions {

	static final LocalDateTime START = LocalDateTime.of(2026, 12, 1, 10, 0);

	private static final AtomicLong ids = new AtomicLong(1000);

	private PartitionedExecutions() {
	}

	static JobExecution running() {
		long id = ids.incrementAndGet();
		JobExecution execution = new JobExecution(id, new JobInstance(id, "gridJob"), new JobParameters());
		execution.setStartTime(START);
		execution.setStatus(BatchStatus.STARTED);
		return execution;
	}

	static StepExecution step(JobExecution execution, String name, LocalDateTime created, BatchStatus status) {
		StepExecution step = new StepExecution(ids.incrementAndGet(), name, execution);
		step.setCreateTime(created);
		step.setStatus(status);
		if (status != BatchStatus.STARTING) {
			step.setStartTime(created);
		}
		execution.addStepExecution(step);
		return step;
	}

	/** A manager step started at START plus {@code second}, running. */
	static StepExecution manager(JobExecution execution, String name, int second) {
		return step(execution, name, START.plusSeconds(second), BatchStatus.STARTED);
	}

	/** A partition the splitter created at START plus {@code second}, not started in this JVM. */
	static StepExecution partition(JobExecution execution, String name, int second) {
		return step(execution, name, START.plusSeconds(second), BatchStatus.STARTING);
	}

	static StepSample read(StepExecution step, BatchStatus status, long written, LocalDateTime lastUpdated) {
		return new StepSample(step.getId(), step.getStepName(), status, step.getCreateTime(), null, lastUpdated,
				written, written, 0, 0, 0, 0, written / 10, 0);
	}

}
