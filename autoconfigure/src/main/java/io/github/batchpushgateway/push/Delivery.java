package io.github.batchpushgateway.push;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The delivery of a group's state as it was when it was requested, or newer.
 *
 * <p>Internal; not an extension point: public only for the starter's other packages, and may
 * change in any release.
 */
public final class Delivery {

	/** Every one must be delivered: one per target, or one per group for a flush. */
	private final List<DeliveryOutcome> outcomes;

	Delivery(DeliveryOutcome outcome) {
		this.outcomes = List.of(outcome);
	}

	Delivery(List<DeliveryOutcome> outcomes) {
		this.outcomes = List.copyOf(outcomes);
	}

	static Delivery failed() {
		return new Delivery(DeliveryOutcome.failed());
	}

	/**
	 * Returns the delivery that succeeds when all of the given ones do.
	 * @param deliveries the deliveries, one per target
	 * @return their conjunction
	 */
	static Delivery all(List<Delivery> deliveries) {
		if (deliveries.size() == 1) {
			return deliveries.get(0);
		}
		List<DeliveryOutcome> outcomes = new ArrayList<>();
		deliveries.forEach((delivery) -> outcomes.addAll(delivery.outcomes));
		return new Delivery(outcomes);
	}

	/**
	 * Waits until the state, or a newer one of its group, has been delivered, or until its
	 * retries are exhausted, or until the timeout expires.
	 * @param timeout the longest wait
	 * @return whether the target accepted it within the timeout
	 */
	public boolean await(Duration timeout) {
		long deadline = System.nanoTime() + nanos(timeout);
		boolean delivered = true;
		try {
			// Each outcome is awaited, a failed one too: whoever waits (a job's end before its
			// process exits) waits for every target's delivery within the one timeout.
			for (DeliveryOutcome outcome : this.outcomes) {
				boolean accepted = outcome.await(deadline - System.nanoTime());
				if (!outcome.isDone()) {
					return false;
				}
				delivered &= accepted;
			}
			return delivered;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Returns a timeout in nanoseconds, to add to {@link System#nanoTime()}.
	 * @param timeout the timeout
	 * @return its nanoseconds, none when negative, and never so many that the sum overflows
	 */
	static long nanos(Duration timeout) {
		return Math.min(TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeout.toMillis())), Long.MAX_VALUE / 4);
	}

	/**
	 * Returns whether the outcome is known.
	 * @return whether the delivery succeeded or was given up
	 */
	public boolean isDone() {
		for (DeliveryOutcome outcome : this.outcomes) {
			if (!outcome.isDone()) {
				return false;
			}
		}
		return true;
	}

}
