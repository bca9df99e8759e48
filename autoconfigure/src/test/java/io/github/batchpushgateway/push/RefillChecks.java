package io.github.batchpushgateway.push;

import java.util.Collection;
import java.util.function.Consumer;

/**
 * Gives the benchmark, in another package, the refill check of {@link GroupSender#refillCheck()}
 * on a client and groups of its own, without a sender around it.
 */
public final class RefillChecks {

	private RefillChecks() {
	}

	/**
	 * Creates the check a sender runs at its refill interval.
	 * @param client the target's client
	 * @param pushed the groups pushed to the target
	 * @param refill told each group to push again
	 * @return the check
	 */
	public static Runnable of(PushClient client, Collection<PushGroup> pushed, Consumer<PushGroup> refill) {
		return new GatewayRefill(client, () -> pushed, refill, () -> true);
	}

}
