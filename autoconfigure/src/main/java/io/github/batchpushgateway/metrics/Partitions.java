package io.github.batchpushgateway.metrics;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.step.StepExecution;

/**
 * Finds the partitions of an execution's partition steps. A {@code PartitionStep}'s splitter
 * creates one step execution per partition, named {@code <worker step>:<partition>}, through the
 * job repository of the manager's JVM, which adds it to the manager's job execution while the
 * manager step runs: so a step execution whose name holds a colon and that was created during the
 * run of another step of the same execution is that step's partition. Spring Batch exposes the
 * splitter of a partition step to no listener, so its creation time is what ties a partition to
 * its manager. Its sibling partitions (the same worker step) may run then too, and are never its
 * manager. With parallel flows, a partition created while several steps run belongs to the one
 * that started last.
 *
 * <p>Internal; not an extension point: public only for the starter's other packages, and may
 * change in any release.
 */
public final class Partitions {

	private Partitions() {
	}

	/**
	 * Maps each partition of an execution to its manager step execution.
	 * @param steps the execution's step executions
	 * @return each partition's manager, by identity; empty when the execution has none
	 */
	public static Map<StepExecution, StepExecution> managers(List<StepExecution> steps) {
		if (!anyPartition(steps)) {
			// Most jobs: no step named like a partition, nothing to build at each push.
			return Map.of();
		}
		// Steps that started, by worker step ("" for steps that are no partitions): a partition
		// looks for its manager among the others only, so a grid costs its size, not its square.
		Map<String, List<StepExecution>> started = new LinkedHashMap<>();
		for (StepExecution step : steps) {
			if (step.getStartTime() != null) {
				String worker = workerStep(step);
				started.computeIfAbsent((worker != null) ? worker : "", (key) -> new ArrayList<>()).add(step);
			}
		}
		Map<StepExecution, StepExecution> managers = new IdentityHashMap<>();
		for (StepExecution step : steps) {
			String worker = workerStep(step);
			if (worker != null) {
				StepExecution manager = managerOf(step, worker, started);
				if (manager != null) {
					managers.put(step, manager);
				}
			}
		}
		return managers;
	}

	private static @Nullable StepExecution managerOf(StepExecution partition, String worker,
			Map<String, List<StepExecution>> started) {
		LocalDateTime created = partition.getCreateTime();
		if (created == null) {
			return null;
		}
		StepExecution manager = null;
		for (Map.Entry<String, List<StepExecution>> group : started.entrySet()) {
			if (group.getKey().equals(worker)) {
				continue;
			}
			for (StepExecution step : group.getValue()) {
				LocalDateTime start = step.getStartTime();
				LocalDateTime end = step.getEndTime();
				// A partition is created after its manager started and before it ended; a step that
				// starts after another ended is created after that end, never before.
				if (!created.isBefore(start) && (end == null || created.isBefore(end))
						&& (manager == null || !start.isBefore(manager.getStartTime()))) {
					manager = step;
				}
			}
		}
		return manager;
	}

	/** The worker step of a step named as a partition, {@code null} for other names. */
	/**
	 * Whether the step is named as a partition step execution is: {@code <worker step>:<partition>}.
	 * @param step a step execution
	 * @return whether it may be a partition
	 */
	public static boolean isPartitionName(StepExecution step) {
		return step.getStepName().indexOf(':') > 0;
	}

	private static boolean anyPartition(List<StepExecution> steps) {
		for (StepExecution step : steps) {
			if (isPartitionName(step)) {
				return true;
			}
		}
		return false;
	}

	private static @Nullable String workerStep(StepExecution step) {
		int colon = step.getStepName().indexOf(':');
		return (colon > 0) ? step.getStepName().substring(0, colon) : null;
	}

}
