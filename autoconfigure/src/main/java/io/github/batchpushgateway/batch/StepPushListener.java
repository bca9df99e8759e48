package io.github.batchpushgateway.batch;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.core.Ordered;

/**
 * Notes which steps run in this JVM, and publishes a job's state when one of its steps ends. Steps
 * of jobs that do not push (excluded, or run outside any registered job, as in a worker JVM) are
 * ignored.
 */
final class StepPushListener implements StepExecutionListener, Ordered {

	private final Supplier<JobEventRecorder> publisher;

	/**
	 * Creates a listener.
	 * @param publisher the publisher, looked up at the first event
	 */
	StepPushListener(Supplier<JobEventRecorder> publisher) {
		this.publisher = publisher;
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.publisher.get().stepStarted(stepExecution);
	}

	@Override
	public @Nullable ExitStatus afterStep(StepExecution stepExecution) {
		this.publisher.get().stepEnded(stepExecution);
		return null;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
