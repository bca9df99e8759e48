package io.github.batchpushgateway.metrics;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

import static io.github.batchpushgateway.metrics.PartitionedExecutions.START;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Partitions}.
 */
class PartitionsTests {

	private final JobExecution execution = PartitionedExecutions.running();

	@Test
	void partitionsCreatedDuringAStepsRunAreItsOwn() {
		StepExecution load = PartitionedExecutions.step(this.execution, "load", START, BatchStatus.COMPLETED);
		load.setEndTime(START.plusSeconds(5));
		StepExecution manager = PartitionedExecutions.manager(this.execution, "manager", 5);
		StepExecution first = PartitionedExecutions.partition(this.execution, "worker:partition0", 6);
		StepExecution second = PartitionedExecutions.partition(this.execution, "worker:partition1", 6);

		assertThat(Partitions.managers(steps())).containsOnlyKeys(first, second)
			.containsEntry(first, manager)
			.containsEntry(second, manager);
	}

	@Test
	void aStepNamedWithAColonCreatedAfterTheOneBeforeEndedIsNoPartition() {
		StepExecution load = PartitionedExecutions.step(this.execution, "load", START, BatchStatus.COMPLETED);
		load.setEndTime(START.plusSeconds(5));
		PartitionedExecutions.step(this.execution, "export:csv", START.plusSeconds(5), BatchStatus.STARTED);

		assertThat(Partitions.managers(steps())).isEmpty();
	}

	@Test
	void aStepWithoutAColonIsNoPartitionEvenWhileAnotherRuns() {
		PartitionedExecutions.manager(this.execution, "left", 0);
		PartitionedExecutions.step(this.execution, "right", START.plusSeconds(1), BatchStatus.STARTED);

		assertThat(Partitions.managers(steps())).isEmpty();
	}

	@Test
	void withParallelStepsAPartitionBelongsToTheOneThatStartedLast() {
		PartitionedExecutions.manager(this.execution, "left", 0);
		StepExecution right = PartitionedExecutions.manager(this.execution, "right", 2);
		StepExecution partition = PartitionedExecutions.partition(this.execution, "worker:partition0", 3);

		assertThat(Partitions.managers(steps())).containsEntry(partition, right);
	}

	@Test
	void aSiblingPartitionThatStartedIsNoManager() {
		StepExecution manager = PartitionedExecutions.manager(this.execution, "manager", 0);
		StepExecution running = PartitionedExecutions.step(this.execution, "worker:partition0", START.plusSeconds(1),
				BatchStatus.STARTED);
		StepExecution created = PartitionedExecutions.partition(this.execution, "worker:partition1", 1);

		assertThat(Partitions.managers(steps())).containsEntry(running, manager).containsEntry(created, manager);
	}

	private List<StepExecution> steps() {
		return new ArrayList<>(this.execution.getStepExecutions());
	}

}
