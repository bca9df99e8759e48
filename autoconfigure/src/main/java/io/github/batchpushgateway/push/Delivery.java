package io.github.batchpushgateway.push;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The delivery of a group's state as it was when it was requested, or newer.
 *
 * <p>Internal; not an extension point: public only for the starter's other packages, and may
 * change in any release.
 */
public final class Delivery {

	private final CompletableFuture<Boolean> outcome;

	Delivery(CompletableFuture<Boolean> outcome) {
		this.outcome = outcome;
	}

	static Delivery failed() {
		return new Delivery(CompletableFuture.completedFuture(false));
	}

	/**
	 * Returns the delivery that succeeds when all of the given ones do.
	 * @param deliveries the deliveries, one per target
	 * @return their conjunction
	 */
	static Delivery all(java.util.List<Delivery> deliveries) {
		if (deliveries.size() == 1) {
			return deliveries.get(0);
		}
		CompletableFuture<?>[] outcomes = deliveries.stream().map((delivery) -> delivery.outcome).toArray(
				CompletableFuture[]::new);
		return new Delivery(CompletableFuture.allOf(outcomes)
			.thenApply((ignored) -> deliveries.stream().allMatch((delivery) -> delivery.outcome.join())));
	}

	/**
	 * Waits until the state, or a newer one of its group, has been delivered, or until its
	 * retries are exhausted, or until the timeout expires.
	 * @param timeout the longest wait
	 * @return whether the target accepted it within the timeout
	 */
	public boolean await(Duration timeout) {
		try {
			// Milliseconds: no overflow for any timeout a person would configure.
			return this.outcome.get(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (ExecutionException | TimeoutException ex) {
			return false;
		}
	}

	/**
	 * Returns whether the outcome is known.
	 * @return whether the delivery succeeded or was given up
	 */
	public boolean isDone() {
		return this.outcome.isDone();
	}

}
