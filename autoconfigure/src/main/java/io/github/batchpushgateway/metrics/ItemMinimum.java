package io.github.batchpushgateway.metrics;

import java.util.List;
import java.util.Map;

import org.springframework.util.Assert;

/**
 * The fewest items a COMPLETED run of a job must handle before it counts as having done its
 * work: a run that "succeeded" having processed nothing is flagged as empty, apart from a failure.
 * A step handled as many items as it read or wrote, whichever is more (a step that filters every
 * item it reads still read them; a writer-only step still wrote).
 *
 * <p>Internal; not an extension point: public only for the starter's other packages, and may
 * change in any release.
 *
 * @param job the fewest items the job's steps together must handle, 0 for no job-wide minimum
 * @param steps the fewest items each named step must handle; a step the run did not execute
 * handled none
 */
public record ItemMinimum(long job, Map<String, Long> steps) {

	/**
	 * Checks the minimums.
	 * @param job the fewest items the job's steps together must handle, 0 for none
	 * @param steps the fewest items each named step must handle
	 */
	public ItemMinimum {
		Assert.isTrue(job >= 0, "'job' must not be negative");
		Assert.notNull(steps, "'steps' must not be null");
		steps.forEach((step, minimum) -> Assert.isTrue(minimum != null && minimum >= 0,
				() -> "The minimum of step '" + step + "' must not be negative"));
		steps = Map.copyOf(steps);
	}

	/**
	 * Returns whether the minimum asks anything: a job-wide or a step's minimum above 0.
	 * @return whether a run can fall short of it
	 */
	public boolean isChecked() {
		// Loops here: each push asks, and a cold JVM would spin a class per lambda at its first.
		if (this.job > 0) {
			return true;
		}
		for (long minimum : this.steps.values()) {
			if (minimum > 0) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Returns whether a run's steps fell short of the minimum.
	 * @param run the steps of a run, one per step name (a partition step's row sums its partitions)
	 * @return whether the job's steps together, or one named step, handled fewer items than asked
	 */
	public boolean isUnmetBy(List<StepSample> run) {
		long read = 0;
		long written = 0;
		for (StepSample step : run) {
			read += step.read();
			written += step.written();
		}
		if (Math.max(read, written) < this.job) {
			return true;
		}
		for (Map.Entry<String, Long> minimum : this.steps.entrySet()) {
			long handled = 0;
			for (StepSample step : run) {
				if (step.name().equals(minimum.getKey())) {
					handled += Math.max(step.read(), step.written());
				}
			}
			if (handled < minimum.getValue()) {
				return true;
			}
		}
		return false;
	}

}
