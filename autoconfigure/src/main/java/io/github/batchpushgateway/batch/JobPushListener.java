package io.github.batchpushgateway.batch;

import java.util.function.Supplier;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.core.Ordered;

/**
 * Publishes a job's state when it starts and when it ends. Highest precedence, so it runs first
 * before the job and last after it, and its final push shows the exit code that other listeners
 * may have changed.
 */
final class JobPushListener implements JobExecutionListener, Ordered {

	private final Supplier<JobEventRecorder> publisher;

	/**
	 * Creates a listener.
	 * @param publisher the publisher, looked up at the first event so that registering the listener
	 * early creates nothing
	 */
	JobPushListener(Supplier<JobEventRecorder> publisher) {
		this.publisher = publisher;
	}

	@Override
	public void beforeJob(JobExecution jobExecution) {
		this.publisher.get().jobStarted(jobExecution);
	}

	@Override
	public void afterJob(JobExecution jobExecution) {
		this.publisher.get().jobEnded(jobExecution);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
