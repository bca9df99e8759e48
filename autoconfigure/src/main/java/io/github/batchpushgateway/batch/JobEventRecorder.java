package io.github.batchpushgateway.batch;

import java.time.Duration;
import java.util.function.LongSupplier;

import io.github.batchpushgateway.push.Delivery;
import io.github.batchpushgateway.push.StateSender;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.util.Assert;

/**
 * What a job's thread does at each lifecycle event: record that an execution changed, and
 * whether this is its end, then go on. Building the state, reading history and pushing happen on
 * the sending side. Only the job's end waits, for at most the flush timeout, so that a process
 * that exits right after its job still delivers the outcome.
 *
 * <p>Internal; not an extension point: public only for the starter's other packages, and may
 * change in any release.
 */
public final class JobEventRecorder {

	private static final Log logger = LogFactory.getLog(JobEventRecorder.class);

	private final GroupStates groups;

	private final StateSender sender;

	private final Duration flushTimeout;

	/** Reads elapsed time in nanoseconds: {@link System#nanoTime()}, or a test's ticker. */
	private final LongSupplier ticker;

	/**
	 * The last job end whose final state was not delivered: when its wait began and ended
	 * (readings of the ticker), {@code null} if none.
	 */
	private volatile @Nullable UndeliveredEnd lastUndeliveredEnd;

	JobEventRecorder(GroupStates groups, StateSender sender, Duration flushTimeout) {
		this(groups, sender, flushTimeout, new SystemTicker());
	}

	JobEventRecorder(GroupStates groups, StateSender sender, Duration flushTimeout, LongSupplier ticker) {
		Assert.notNull(groups, "'groups' must not be null");
		Assert.notNull(sender, "'sender' must not be null");
		Assert.isTrue(flushTimeout != null && !flushTimeout.isNegative(), "'flushTimeout' must not be negative");
		Assert.notNull(ticker, "'ticker' must not be null");
		this.groups = groups;
		this.sender = sender;
		this.flushTimeout = flushTimeout;
		this.ticker = ticker;
	}

	/**
	 * A job execution started.
	 * @param execution the execution
	 */
	public void jobStarted(JobExecution execution) {
		try {
			TrackedExecution tracked = this.groups.track(execution);
			this.sender.started(tracked.group);
		}
		catch (RuntimeException ex) {
			// Reporting must never fail the job it reports on.
			logger.warn("Could not record the start of job '" + execution.getJobInstance().getJobName() + "' ("
					+ ex.getClass().getName() + ")", ex);
		}
	}

	/**
	 * Returns whether an execution is pushed and its final state not yet built.
	 * @param execution the execution
	 * @return whether the execution is tracked
	 */
	public boolean isTracked(JobExecution execution) {
		return this.groups.tracked(execution) != null;
	}

	/**
	 * A step of a running job starts in this JVM: what it does is not read from the job
	 * repository. One lookup, nothing else, on the step's thread.
	 * @param step the step execution
	 */
	public void stepStarted(StepExecution step) {
		TrackedExecution tracked = this.groups.tracked(step.getJobExecution());
		if (tracked != null) {
			tracked.stepStarted(step);
		}
	}

	/**
	 * A step of a running job ended.
	 * @param step the step execution
	 */
	public void stepEnded(StepExecution step) {
		TrackedExecution tracked = this.groups.tracked(step.getJobExecution());
		if (tracked != null) {
			this.sender.changed(tracked.group);
		}
	}

	/**
	 * A job execution ended: records its end and waits for its delivery, at most for the flush
	 * timeout.
	 * @param execution the execution, with its final status
	 * @return whether the final state reached the target in time
	 */
	public boolean jobEnded(JobExecution execution) {
		Delivery delivery;
		try {
			TrackedExecution tracked = this.groups.tracked(execution);
			if (tracked == null) {
				// Started before the listener was attached, or its start could not be recorded.
				tracked = this.groups.track(execution);
			}
			if (!tracked.end()) {
				// The sending side concluded the execution without afterJob (its end looked
				// unsaved) and took it in meanwhile: this end replaces that conclusion.
				tracked = this.groups.track(execution);
				tracked.end();
			}
			delivery = this.sender.request(tracked.group);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not record the end of job '" + execution.getJobInstance().getJobName() + "' ("
					+ ex.getClass().getName() + ")", ex);
			return false;
		}
		long waitStart = this.ticker.getAsLong();
		boolean delivered = delivery.await(this.flushTimeout);
		if (!delivered) {
			this.lastUndeliveredEnd = new UndeliveredEnd(waitStart, this.ticker.getAsLong());
		}
		if (!delivered && logger.isDebugEnabled()) {
			logger.debug("Final state of job '" + execution.getJobInstance().getJobName() + "' not delivered "
					+ (delivery.isDone() ? "(its retries are exhausted)" : "within " + this.flushTimeout)
					+ "; it stays queued for redelivery");
		}
		return delivered;
	}

	/**
	 * Returns how long a shutdown that follows may still wait for delivery: what the last job end
	 * whose state was not delivered left of its flush timeout, when that wait ended within the
	 * last flush timeout; else the whole flush timeout. A process whose job's end has just waited
	 * in vain is not held up a second time, and one whose delivery was given up early (its retries
	 * exhausted) gets the rest of that budget to try again.
	 * @return the shutdown's budget for delivery
	 */
	Duration budgetLeftAfterUndeliveredEnd() {
		UndeliveredEnd last = this.lastUndeliveredEnd;
		long budget = this.flushTimeout.toNanos();
		if (last == null || this.ticker.getAsLong() - last.waitEnded() >= budget) {
			return this.flushTimeout;
		}
		return Duration.ofNanos(Math.max(0, budget - (last.waitEnded() - last.waitStarted())));
	}

	private record UndeliveredEnd(long waitStarted, long waitEnded) {
	}

	/**
	 * {@link System#nanoTime()}. A class rather than a method reference, which a cold JVM would
	 * spin at its first job event (see GroupSender.Attempt).
	 */
	private static final class SystemTicker implements LongSupplier {

		@Override
		public long getAsLong() {
			return System.nanoTime();
		}

	}

}
