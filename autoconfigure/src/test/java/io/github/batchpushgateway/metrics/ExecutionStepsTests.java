package io.github.batchpushgateway.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.github.batchpushgateway.metrics.ExecutionSteps.PartitionSummary;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

import static io.github.batchpushgateway.metrics.PartitionedExecutions.START;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ExecutionSteps}: partitions summed up per partition step.
 */
class ExecutionStepsTests {

	private static final Instant NOW = BatchTimes.toInstant(START.plusMinutes(10));

	private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);

	private final JobExecution execution = PartitionedExecutions.running();

	private final StepExecution manager = PartitionedExecutions.manager(this.execution, "manager", 0);

	private final StepExecution fresh = PartitionedExecutions.partition(this.execution, "worker:partition0", 1);

	private final StepExecution stale = PartitionedExecutions.partition(this.execution, "worker:partition1", 1);

	private final StepExecution done = PartitionedExecutions.partition(this.execution, "worker:partition2", 1);

	private final StepExecution waiting = PartitionedExecutions.partition(this.execution, "worker:partition3", 1);

	private final Map<Long, StepSample> readings = Map.of(this.fresh.getId(),
			PartitionedExecutions.read(this.fresh, BatchStatus.STARTED, 100, START.plusMinutes(10).minusSeconds(5)),
			this.stale.getId(),
			PartitionedExecutions.read(this.stale, BatchStatus.STARTED, 30, START.plusMinutes(10).minusSeconds(90)),
			this.done.getId(), PartitionedExecutions.read(this.done, BatchStatus.COMPLETED, 500, START.plusMinutes(4)));

	@Test
	void partitionsAreNoStepsOfTheirOwnAndTheRunningManagerShowsTheirSum() {
		ExecutionSteps steps = ExecutionSteps.of(this.execution, this.readings, NOW, STALL_TIMEOUT);

		assertThat(steps.steps()).extracting(StepSample::name).containsExactly("manager");
		StepSample shown = steps.steps().get(0);
		assertThat(shown.status()).isEqualTo(BatchStatus.STARTED);
		assertThat(shown.written()).isEqualTo(630);
		assertThat(shown.read()).isEqualTo(630);
		assertThat(shown.commits()).isEqualTo(63);
	}

	@Test
	void partitionsAreCountedByStatusWithEveryStatusPresent() {
		PartitionSummary summary = ExecutionSteps.of(this.execution, this.readings, NOW, STALL_TIMEOUT)
			.partitions()
			.get(0);

		assertThat(summary.step()).isEqualTo("manager");
		assertThat(summary.byStatus()).hasSize(BatchStatus.values().length)
			.containsEntry(BatchStatus.STARTED, 2)
			.containsEntry(BatchStatus.COMPLETED, 1)
			.containsEntry(BatchStatus.STARTING, 1)
			.containsEntry(BatchStatus.FAILED, 0);
	}

	@Test
	void aRunningPartitionNotSavedForTheStallTimeoutIsStalledAndTheStalestSaveIsShown() {
		Map<Long, StepSample> twoFresh = new HashMap<>(this.readings);
		twoFresh.put(this.waiting.getId(), PartitionedExecutions.read(this.waiting, BatchStatus.STARTED, 10,
				START.plusMinutes(10).minusSeconds(59)));

		PartitionSummary summary = ExecutionSteps.of(this.execution, twoFresh, NOW, STALL_TIMEOUT).partitions().get(0);

		assertThat(summary.stalled()).isEqualTo(1);
		assertThat(summary.stalestProgress()).isEqualTo(NOW.minusSeconds(90));
	}

	@Test
	void withoutAStallTimeoutNothingIsCountedStalled() {
		PartitionSummary summary = ExecutionSteps.of(this.execution, this.readings, NOW, null).partitions().get(0);

		assertThat(summary.stalled()).isNull();
		assertThat(summary.stalestProgress()).isEqualTo(NOW.minusSeconds(90));
	}

	@Test
	void withNoPartitionRunningThereIsNoStalestSave() {
		PartitionSummary summary = ExecutionSteps.of(this.execution, Map.of(), NOW, STALL_TIMEOUT)
			.partitions()
			.get(0);

		assertThat(summary.byStatus()).containsEntry(BatchStatus.STARTING, 4);
		assertThat(summary.stalled()).isZero();
		assertThat(summary.stalestProgress()).isNull();
	}

	@Test
	void anEndedManagerShowsSpringBatchsOwnAggregate() {
		this.manager.setStatus(BatchStatus.COMPLETED);
		this.manager.setEndTime(START.plusMinutes(9));
		this.manager.setWriteCount(2000);

		StepSample shown = ExecutionSteps.of(this.execution, this.readings, NOW, STALL_TIMEOUT).steps().get(0);

		assertThat(shown.written()).isEqualTo(2000);
	}

	@Test
	void aStepRunTwiceInOneExecutionShowsItsLastRun() {
		JobExecution flow = PartitionedExecutions.running();
		StepExecution first = PartitionedExecutions.step(flow, "load", START, BatchStatus.FAILED);
		first.setEndTime(START.plusSeconds(1));
		StepExecution second = PartitionedExecutions.step(flow, "load", START.plusSeconds(2), BatchStatus.STARTED);

		ExecutionSteps steps = ExecutionSteps.of(flow, Map.of(), NOW, null);

		assertThat(steps.steps()).extracting(StepSample::id).containsExactly(second.getId());
		assertThat(steps.partitions()).isEmpty();
	}

}
