package io.github.batchpushgateway.push;

import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * Refills a gateway that restarted empty with the groups this JVM pushed to it: run at a low rate,
 * once this JVM has pushed, it asks the gateway when it started (one small answer, however many
 * groups there are), and only when that start is new (or not known yet) reads which groups the
 * gateway holds and has the absent ones pushed
 * again with their newest state. An idle job's group would otherwise stay absent until the job's
 * next run. Groups the gateway still holds (it restored them from its persistence file, or another
 * JVM pushed newer state since) are left alone.
 */
final class GatewayRefill implements Runnable {

	private static final Log logger = LogFactory.getLog(GatewayRefill.class);

	private final PushClient client;

	private final Supplier<? extends Collection<PushGroup>> groups;

	private final Consumer<PushGroup> refill;

	private final BooleanSupplier pushesPass;

	/** The gateway start whose groups were checked; {@code null} before the first check. */
	private @Nullable Instant checkedStart;

	/** Whether a rejection of the check was logged at WARN: once, as it will not pass by itself. */
	private boolean rejectionLogged;

	/**
	 * Creates a refill for one target.
	 * @param client reads the target
	 * @param groups the groups this JVM pushed to the target
	 * @param refill has a group's newest state pushed to the target again
	 * @param pushesPass whether the target takes the pushes now; until it does, a refusal of the
	 * check is the pushes' to report (wrong credentials refuse the check and the pushes alike)
	 */
	GatewayRefill(PushClient client, Supplier<? extends Collection<PushGroup>> groups, Consumer<PushGroup> refill,
			BooleanSupplier pushesPass) {
		Assert.notNull(client, "'client' must not be null");
		Assert.notNull(groups, "'groups' must not be null");
		Assert.notNull(refill, "'refill' must not be null");
		Assert.notNull(pushesPass, "'pushesPass' must not be null");
		this.client = client;
		this.groups = groups;
		this.refill = refill;
		this.pushesPass = pushesPass;
	}

	@Override
	public void run() {
		// Nothing pushed, nothing to refill: the gateway is not asked. The first check runs as the
		// application starts, and a short job's JVM would otherwise pay a request (and the parse of
		// the gateway's start) at every run for nothing.
		Collection<PushGroup> pushed = this.groups.get();
		if (pushed.isEmpty()) {
			return;
		}
		try {
			Instant started = this.client.startTime();
			if (started == null || started.equals(this.checkedStart)) {
				return;
			}
			// The first check, too, compares: the gateway may have restarted between this JVM's
			// pushes and it.
			Set<PushGroup> held = this.client.heldGroups();
			if (held == null) {
				return;
			}
			for (PushGroup group : pushed) {
				if (!held.contains(group)) {
					logger.info("Pushing " + group + " again to " + this.client.describe() + ", which started at "
							+ started + " without it");
					this.refill.accept(group);
				}
			}
			this.checkedStart = started;
		}
		catch (PushRejectedException ex) {
			// Until the pushes pass, a refusal may be theirs too (wrong credentials), and their
			// warning names it: one cause, one warning.
			if (PushRejectedException.isWorthRetrying(ex) || this.rejectionLogged
					|| !this.pushesPass.getAsBoolean()) {
				logger.debug("Could not check which groups " + this.client.describe() + " holds", ex);
				return;
			}
			// A proxy that forwards only pushes, or credentials that may push but not read: the
			// pushes work, so nothing else would say that a restart will not be refilled.
			this.rejectionLogged = true;
			logger.warn("Cannot check whether " + this.client.describe() + " restarted without this application's"
					+ " groups (" + ex.getMessage() + "): they return only at their jobs' next runs after such a"
					+ " restart. Let the gateway's status and metrics be read, or set"
					+ " batch.pushgateway.refill-check-interval=0");
		}
		catch (IOException | RuntimeException ex) {
			// An outage is the pushes' to report (once, at WARN); the next check tries again.
			logger.debug("Could not check which groups " + this.client.describe() + " holds", ex);
		}
	}

}
