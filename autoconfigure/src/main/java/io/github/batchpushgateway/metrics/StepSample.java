package io.github.batchpushgateway.metrics;

import java.time.LocalDateTime;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.util.Assert;

/**
 * What a push shows of one step execution: as this JVM holds it, or, for a step run in another
 * JVM, as the job repository held it when it was last read.
 *
 * <p>Internal; not an extension point: public only for the starter's other packages, and may
 * change in any release.
 *
 * @param id the step execution's id
 * @param name the step's name
 * @param status its status
 * @param start its start, {@code null} before it started
 * @param end its end, {@code null} while it runs
 * @param lastUpdated when it was last saved, {@code null} when never
 * @param read items read
 * @param written items written
 * @param filtered items filtered out
 * @param readSkips items skipped while reading
 * @param processSkips items skipped while processing
 * @param writeSkips items skipped while writing
 * @param commits transactions committed
 * @param rollbacks transactions rolled back
 */
public record StepSample(long id, String name, BatchStatus status, @Nullable LocalDateTime start,
		@Nullable LocalDateTime end, @Nullable LocalDateTime lastUpdated, long read, long written, long filtered,
		long readSkips, long processSkips, long writeSkips, long commits, long rollbacks) {

	/**
	 * Checks the sample.
	 * @param id the step execution's id
	 * @param name the step's name
	 * @param status its status
	 * @param start its start
	 * @param end its end
	 * @param lastUpdated when it was last saved
	 * @param read items read
	 * @param written items written
	 * @param filtered items filtered out
	 * @param readSkips items skipped while reading
	 * @param processSkips items skipped while processing
	 * @param writeSkips items skipped while writing
	 * @param commits transactions committed
	 * @param rollbacks transactions rolled back
	 */
	public StepSample {
		Assert.notNull(name, "'name' must not be null");
		Assert.notNull(status, "'status' must not be null");
	}

	/**
	 * Returns the sample of a step execution as it is now.
	 * @param step the step execution
	 * @return its sample
	 */
	public static StepSample of(StepExecution step) {
		return new StepSample(step.getId(), step.getStepName(), step.getStatus(), step.getStartTime(),
				step.getEndTime(), step.getLastUpdated(), step.getReadCount(), step.getWriteCount(),
				step.getFilterCount(), step.getReadSkipCount(), step.getProcessSkipCount(), step.getWriteSkipCount(),
				step.getCommitCount(), step.getRollbackCount());
	}

	/**
	 * Returns the sum of two samples' counts, under this sample's name, status and times.
	 * @param other another sample
	 * @return the sum
	 */
	StepSample plusCounts(StepSample other) {
		return new StepSample(this.id, this.name, this.status, this.start, this.end, this.lastUpdated,
				this.read + other.read, this.written + other.written, this.filtered + other.filtered,
				this.readSkips + other.readSkips, this.processSkips + other.processSkips,
				this.writeSkips + other.writeSkips, this.commits + other.commits, this.rollbacks + other.rollbacks);
	}

	/**
	 * Returns this sample with all counts zero, for a sum to start from.
	 * @return the sample without counts
	 */
	StepSample withoutCounts() {
		return new StepSample(this.id, this.name, this.status, this.start, this.end, this.lastUpdated, 0, 0, 0, 0, 0,
				0, 0, 0);
	}

}
