package io.github.batchpushgateway.it;

import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads the numbers 1 to the job parameter {@code items} (default 40), starting over at each
 * execution; thread-safe so multi-threaded steps can share it.
 */
final class NumberReader implements ItemStreamReader<Integer> {

	private final Gate gate;

	private int next;

	private long items;

	NumberReader(Gate gate) {
		this.gate = gate;
	}

	@Override
	public synchronized void open(ExecutionContext executionContext) {
		this.next = 1;
		StepExecution step = StepSynchronizationManager.getContext().getStepExecution();
		Long items = step.getJobParameters().getLong("items");
		this.items = (items != null) ? items : 40;
	}

	@Override
	public Integer read() {
		int item;
		synchronized (this) {
			if (this.next > this.items) {
				return null;
			}
			item = this.next++;
		}
		this.gate.passing(item, StepSynchronizationManager.getContext().getStepExecution());
		return item;
	}

}
