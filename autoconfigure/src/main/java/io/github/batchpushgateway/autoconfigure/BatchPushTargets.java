package io.github.batchpushgateway.autoconfigure;

import java.util.List;

import io.github.batchpushgateway.push.PushClient;
import org.springframework.util.Assert;

/**
 * Where job state goes: one client per Pushgateway and per textfile directory. Declare your own
 * {@link PushClient} beans to replace the configured ones.
 */
final class BatchPushTargets {

	private final List<PushClient> clients;

	/**
	 * Creates the targets.
	 * @param clients one client per target
	 */
	BatchPushTargets(List<PushClient> clients) {
		Assert.notEmpty(clients, "'clients' must not be empty");
		this.clients = List.copyOf(clients);
	}

	/**
	 * Returns one client per target.
	 * @return the clients
	 */
	List<PushClient> clients() {
		return this.clients;
	}

}
