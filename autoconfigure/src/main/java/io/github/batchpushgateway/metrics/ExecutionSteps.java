package io.github.batchpushgateway.metrics;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

/**
 * The steps a push shows for an execution: one row per step name, where a partition step's row
 * stands for all its partitions (so the series stay bounded however large the grid), and a
 * summary of each partition step's partitions.
 *
 * <p>Internal; not an extension point: public only for the starter's other packages, and may
 * change in any release.
 *
 * @param steps one sample per step name, partitions left out
 * @param partitions the partitions of each partition step, in the order of the steps
 */
public record ExecutionSteps(List<StepSample> steps, List<PartitionSummary> partitions) {

	/**
	 * Gathers the steps of an execution.
	 * @param execution the execution as this JVM holds it
	 * @param readings step executions as the job repository held them at the last reading, by id:
	 * they replace this JVM's copies of the steps run elsewhere, which it never updates
	 * @param now the time of the push
	 * @param stallTimeout how long a running partition may go without a save before it counts as
	 * stalled, {@code null} when not configured
	 * @return the steps to show
	 */
	public static ExecutionSteps of(JobExecution execution, Map<Long, StepSample> readings, Instant now,
			@Nullable Duration stallTimeout) {
		List<StepExecution> all = new ArrayList<>(execution.getStepExecutions());
		return of(all, Partitions.managers(all), readings, now, stallTimeout);
	}

	/**
	 * Gathers the steps of an execution whose partitions' managers are already known, as the
	 * sending side finds them once per push.
	 * @param all the execution's step executions as this JVM holds them
	 * @param managers each partition's manager among them, as {@link Partitions#managers} finds it
	 * @param readings step executions as the job repository held them at the last reading, by id
	 * @param now the time of the push
	 * @param stallTimeout how long a running partition may go without a save before it counts as
	 * stalled, {@code null} when not configured
	 * @return the steps to show
	 */
	public static ExecutionSteps of(List<StepExecution> all, Map<StepExecution, StepExecution> managers,
			Map<Long, StepSample> readings, Instant now, @Nullable Duration stallTimeout) {
		Map<String, StepSample> latest = new LinkedHashMap<>();
		Map<Long, Group> groups = new LinkedHashMap<>();
		for (StepExecution step : all) {
			StepSample read = readings.get(step.getId());
			StepSample sample = (read != null) ? read : StepSample.of(step);
			StepExecution manager = managers.get(step);
			if (manager != null) {
				// No computeIfAbsent or merge: a cold JVM would spin their lambdas at its first push.
				Group group = groups.get(manager.getId());
				if (group == null) {
					group = new Group(manager.getStepName());
					groups.put(manager.getId(), group);
				}
				group.add(sample);
			}
			else {
				// A flow may run a step more than once in one execution; one series per step name
				// can only show one of them, so the last one wins.
				StepSample earlier = latest.get(sample.name());
				if (earlier == null || sample.id() >= earlier.id()) {
					latest.put(sample.name(), sample);
				}
			}
		}
		List<StepSample> steps = new ArrayList<>();
		for (StepSample step : latest.values()) {
			Group group = groups.get(step.id());
			// While it runs a manager step's own counts stay zero (Spring Batch aggregates its
			// partitions' counts into it at its end): the running sum of its partitions is shown.
			steps.add((group != null && step.status().isRunning()) ? group.sum(step) : step);
		}
		List<PartitionSummary> partitions = new ArrayList<>();
		for (Group group : groups.values()) {
			partitions.add(group.summary(now, stallTimeout));
		}
		return new ExecutionSteps(steps, partitions);
	}

	/**
	 * What a push shows of one partition step's partitions.
	 *
	 * @param step the partition (manager) step's name
	 * @param byStatus how many partitions are in each status, every status present
	 * @param stalled how many running partitions were last saved longer ago than the stall
	 * timeout, {@code null} without a stall timeout
	 * @param stalestProgress the oldest last save among the running partitions, {@code null} when
	 * none runs
	 */
	public record PartitionSummary(String step, Map<BatchStatus, Integer> byStatus, @Nullable Integer stalled,
			@Nullable Instant stalestProgress) {

	}

	private static final class Group {

		private final String step;

		private final List<StepSample> partitions = new ArrayList<>();

		Group(String step) {
			this.step = step;
		}

		void add(StepSample partition) {
			this.partitions.add(partition);
		}

		StepSample sum(StepSample manager) {
			StepSample sum = manager.withoutCounts();
			for (StepSample partition : this.partitions) {
				sum = sum.plusCounts(partition);
			}
			return sum;
		}

		PartitionSummary summary(Instant now, @Nullable Duration stallTimeout) {
			Map<BatchStatus, Integer> byStatus = new EnumMap<>(BatchStatus.class);
			for (BatchStatus status : BatchStatus.values()) {
				byStatus.put(status, 0);
			}
			int stalled = 0;
			Instant stalest = null;
			for (StepSample partition : this.partitions) {
				byStatus.merge(partition.status(), 1, Integer::sum);
				// A STARTING partition waits for a worker (in a broker's queue, say): it is not
				// running, so its age says nothing about a worker.
				if (partition.status() == BatchStatus.STARTED || partition.status() == BatchStatus.STOPPING) {
					Instant saved = lastSaved(partition);
					if (stalest == null || saved.isBefore(stalest)) {
						stalest = saved;
					}
					if (stallTimeout != null && saved.isBefore(now.minus(stallTimeout))) {
						stalled++;
					}
				}
			}
			return new PartitionSummary(this.step, byStatus, (stallTimeout != null) ? stalled : null, stalest);
		}

		private static Instant lastSaved(StepSample partition) {
			LocalDateTime saved = (partition.lastUpdated() != null) ? partition.lastUpdated() : partition.start();
			return (saved != null) ? BatchTimes.toInstant(saved) : Instant.EPOCH;
		}

	}

}
