package io.github.batchpushgateway.push;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.util.Assert;

/**
 * Sends snapshots to the Pushgateway on one sender thread, so that pushes never run on a job's
 * thread. Per group only the newest snapshot waits: an older one that has not been sent yet is
 * replaced, so a backlog cannot grow however slow the gateway is. Failed pushes are retried with
 * backoff, each attempt sending the group's newest snapshot. When the retries are exhausted the
 * snapshot is kept and sent again every redelivery interval, or at once when a push of another
 * group succeeds, until a newer one replaces it.
 */
public final class LatestSnapshotPusher implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(LatestSnapshotPusher.class);

	private final PushClient client;

	private final RetryTemplate retryTemplate;

	private final PushListener listener;

	private final Duration redeliveryInterval;

	private final Duration closeTimeout;

	private final Object lock = new Object();

	private final Map<PushGroup, Slot> slots = new HashMap<>();

	private final BlockingQueue<PushGroup> ready = new LinkedBlockingQueue<>();

	private final Thread sender;

	private volatile boolean closed;

	/**
	 * Creates a pusher and starts its sender thread.
	 * @param client sends one snapshot
	 * @param retryPolicy how often and how fast to retry a failed push
	 * @param redeliveryInterval how long an undelivered snapshot waits before it is tried again
	 * @param closeTimeout how long {@link #close()} waits for undelivered state
	 * @param listener told about every attempt
	 */
	public LatestSnapshotPusher(PushClient client, RetryPolicy retryPolicy, Duration redeliveryInterval,
			Duration closeTimeout, PushListener listener) {
		this(client, retryPolicy, redeliveryInterval, closeTimeout, listener, LatestSnapshotPusher::daemonThread);
	}

	LatestSnapshotPusher(PushClient client, RetryPolicy retryPolicy, Duration redeliveryInterval,
			Duration closeTimeout, PushListener listener, ThreadFactory threadFactory) {
		Assert.notNull(client, "'client' must not be null");
		Assert.notNull(retryPolicy, "'retryPolicy' must not be null");
		Assert.isTrue(redeliveryInterval != null && !redeliveryInterval.isNegative() && !redeliveryInterval.isZero(),
				"'redeliveryInterval' must be positive");
		Assert.isTrue(closeTimeout != null && !closeTimeout.isNegative(), "'closeTimeout' must not be negative");
		Assert.notNull(listener, "'listener' must not be null");
		this.client = client;
		this.closeTimeout = closeTimeout;
		this.retryTemplate = new RetryTemplate(retryPolicy);
		this.redeliveryInterval = redeliveryInterval;
		this.listener = listener;
		this.sender = threadFactory.newThread(this::sendUntilClosed);
		this.sender.start();
	}

	private static Thread daemonThread(Runnable runnable) {
		// Daemon: an unreachable gateway must never keep the JVM alive; close() flushes first.
		Thread thread = new Thread(runnable, "batch-pushgateway-sender");
		thread.setDaemon(true);
		return thread;
	}

	/**
	 * Queues a group's complete state for sending, replacing any of its snapshots that has not
	 * been sent yet. Returns at once.
	 * @param group the group
	 * @param metrics the group's complete state
	 * @return the delivery, to wait for where the state must leave before going on
	 */
	public Delivery offer(PushGroup group, MetricSnapshots metrics) {
		Assert.notNull(group, "'group' must not be null");
		Assert.notNull(metrics, "'metrics' must not be null");
		Pending pending = new Pending(metrics);
		synchronized (this.lock) {
			if (this.closed) {
				logger.debug("Pusher is closed; not sending the state of " + group);
				pending.outcome.complete(false);
				return pending.delivery();
			}
			Slot slot = this.slots.computeIfAbsent(group, (key) -> new Slot());
			if (slot.waiting != null) {
				pending.alsoCompletes(slot.waiting);
			}
			slot.waiting = pending;
			slot.parked = false;
			enqueue(group, slot);
		}
		return pending.delivery();
	}

	/**
	 * Waits until every snapshot offered so far has been delivered or has exhausted its retries,
	 * at most for the given time. Undelivered snapshots are tried once more first.
	 * @param timeout the longest wait
	 * @return whether everything was delivered
	 */
	public boolean flush(Duration timeout) {
		List<CompletableFuture<Boolean>> outcomes = new ArrayList<>();
		synchronized (this.lock) {
			this.slots.forEach((group, slot) -> {
				if (slot.parked) {
					slot.parked = false;
					enqueue(group, slot);
				}
				if (slot.waiting != null) {
					outcomes.add(slot.waiting.outcome);
				}
				if (slot.inFlight != null) {
					outcomes.add(slot.inFlight.outcome);
				}
			});
		}
		Delivery all = new Delivery(CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
			.thenApply((ignored) -> outcomes.stream().allMatch(CompletableFuture::join)));
		return all.await(timeout);
	}

	/**
	 * Returns the groups whose newest state has not reached the gateway.
	 * @return the undelivered groups
	 */
	public List<PushGroup> undeliveredGroups() {
		synchronized (this.lock) {
			List<PushGroup> groups = new ArrayList<>();
			this.slots.forEach((group, slot) -> {
				if (slot.waiting != null || slot.inFlight != null) {
					groups.add(group);
				}
			});
			return groups;
		}
	}

	/**
	 * Flushes for at most the given time, then stops the sender thread.
	 * @param timeout the longest wait for undelivered state
	 */
	public void close(Duration timeout) {
		if (this.closed) {
			return;
		}
		boolean delivered = flush(timeout);
		List<CompletableFuture<Boolean>> abandoned = new ArrayList<>();
		synchronized (this.lock) {
			this.closed = true;
			this.slots.values().forEach((slot) -> {
				if (slot.waiting != null) {
					abandoned.add(slot.waiting.outcome);
				}
				if (slot.inFlight != null) {
					abandoned.add(slot.inFlight.outcome);
				}
			});
		}
		this.sender.interrupt();
		try {
			this.sender.join(TimeUnit.SECONDS.toMillis(1));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (!delivered) {
			List<PushGroup> undelivered = undeliveredGroups();
			if (!undelivered.isEmpty()) {
				logger.warn("Stopped with undelivered job state for " + undelivered + " after waiting " + timeout);
			}
		}
		// Nobody will send these any more: tell whoever still waits, rather than let them time out.
		abandoned.forEach((outcome) -> outcome.complete(false));
	}

	/**
	 * Flushes for at most the close timeout, then stops the sender thread. Called at application
	 * shutdown, so that a process that exits right after its job still delivers its state.
	 */
	@Override
	public void close() {
		close(this.closeTimeout);
	}

	private void enqueue(PushGroup group, Slot slot) {
		if (!slot.queued) {
			slot.queued = true;
			this.ready.add(group);
		}
	}

	private void sendUntilClosed() {
		while (!this.closed) {
			try {
				PushGroup group = this.ready.poll(this.redeliveryInterval.toMillis(), TimeUnit.MILLISECONDS);
				if (group != null) {
					deliver(group);
				}
				else {
					redeliverParked();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				// Keep the only sender alive whatever happens to one push.
				logger.error("Unexpected failure of the Pushgateway sender", ex);
			}
		}
	}

	private void deliver(PushGroup group) throws InterruptedException {
		Slot slot;
		synchronized (this.lock) {
			slot = this.slots.get(group);
			if (slot == null) {
				return;
			}
			slot.queued = false;
			if (slot.waiting == null || slot.parked) {
				return;
			}
		}
		try {
			this.retryTemplate.execute(() -> {
				attempt(group, slot);
				return null;
			});
			Pending sent = finishFlight(slot, true, false);
			sent.outcome.complete(true);
			forgetIfIdle(group, slot);
			redeliverParked();
		}
		catch (RetryException ex) {
			// A snapshot the gateway rejected for good would be rejected again: drop it, and let
			// the group's next snapshot try afresh.
			boolean redeliver = PushRejectedException.isWorthRetrying(ex.getCause());
			Pending failed = finishFlight(slot, false, redeliver);
			failed.outcome.complete(false);
			if (!redeliver) {
				forgetIfIdle(group, slot);
			}
			if (Thread.currentThread().isInterrupted()) {
				throw new InterruptedException();
			}
		}
	}

	/** One attempt, always with the group's newest snapshot. */
	private void attempt(PushGroup group, Slot slot) throws Exception {
		Pending pending;
		synchronized (this.lock) {
			if (slot.waiting != null) {
				if (slot.inFlight != null) {
					slot.waiting.alsoCompletes(slot.inFlight);
				}
				slot.inFlight = slot.waiting;
				slot.waiting = null;
			}
			pending = slot.inFlight;
		}
		long start = System.nanoTime();
		try {
			this.client.push(group, pending.metrics);
			this.listener.pushSucceeded(group, Duration.ofNanos(System.nanoTime() - start));
		}
		catch (Exception ex) {
			this.listener.pushFailed(group, ex, Duration.ofNanos(System.nanoTime() - start));
			throw ex;
		}
	}

	/**
	 * Ends the flight of the slot's snapshot. An undelivered snapshot worth redelivering with no
	 * newer one behind it is parked under a new outcome, since its waiters have now been told.
	 */
	private Pending finishFlight(Slot slot, boolean delivered, boolean redeliver) {
		synchronized (this.lock) {
			Pending flown = slot.inFlight;
			slot.inFlight = null;
			if (!delivered && redeliver && slot.waiting == null) {
				slot.waiting = flown.retried();
				slot.parked = true;
			}
			return flown;
		}
	}

	/** Groups come and go with grouping parameters: keep only those with something to send. */
	private void forgetIfIdle(PushGroup group, Slot slot) {
		synchronized (this.lock) {
			if (slot.waiting == null && slot.inFlight == null && !slot.queued) {
				this.slots.remove(group, slot);
			}
		}
	}

	private void redeliverParked() {
		synchronized (this.lock) {
			this.slots.forEach((group, slot) -> {
				if (slot.parked) {
					slot.parked = false;
					enqueue(group, slot);
				}
			});
		}
	}

	/** The state of one group. Guarded by {@code lock}. */
	private static final class Slot {

		/** Newest snapshot not yet sent, or parked after failed retries. */
		@Nullable Pending waiting;

		/** Snapshot being sent. */
		@Nullable Pending inFlight;

		boolean queued;

		boolean parked;

	}

	/** A snapshot and the outcome its offerers wait for. */
	private static final class Pending {

		final MetricSnapshots metrics;

		final CompletableFuture<Boolean> outcome = new CompletableFuture<>();

		Pending(MetricSnapshots metrics) {
			this.metrics = metrics;
		}

		/**
		 * Those waiting for a replaced snapshot learn the outcome of its replacement. Only the
		 * replaced outcome is kept, not its metrics, so replaced snapshots can be collected.
		 */
		void alsoCompletes(Pending replaced) {
			CompletableFuture<Boolean> replacedOutcome = replaced.outcome;
			this.outcome.whenComplete((delivered, ex) -> replacedOutcome.complete(Boolean.TRUE.equals(delivered)));
		}

		Pending retried() {
			return new Pending(this.metrics);
		}

		Delivery delivery() {
			return new Delivery(this.outcome);
		}

	}

}
