package io.github.batchpushgateway.push;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The delivery of one offered snapshot, or of a newer snapshot of the same group that replaced it
 * before it was sent.
 */
public final class Delivery {

	private final CompletableFuture<Boolean> outcome;

	Delivery(CompletableFuture<Boolean> outcome) {
		this.outcome = outcome;
	}

	/**
	 * Waits until the snapshot, or a newer one of its group, has been delivered, or until its
	 * retries are exhausted, or until the timeout expires.
	 * @param timeout the longest wait
	 * @return whether the gateway accepted it within the timeout
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

}
