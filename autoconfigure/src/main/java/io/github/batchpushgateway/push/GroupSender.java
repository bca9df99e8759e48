package io.github.batchpushgateway.push;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.util.Assert;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Delivers groups' states to one target. Callers only say that a group changed
 * ({@link #request}); the state is built by the {@link GroupStateSource} on the scheduler's
 * thread just before each attempt, so it is always the newest and never costs the caller. Per
 * group at most one push is in flight and requests made meanwhile are served by the next one, so
 * no backlog can grow however slow the target is.
 *
 * <p>Changes nobody waits for (a job's start, its step ends, heartbeats) are pushed at once when
 * the group's last attempt started at least the minimum interval ago, and otherwise by one push at
 * the end of that interval: the events of a short job, a few milliseconds apart, make one push
 * rather than one each, and the job's cores are not spent on pushes that no scrape would ever
 * see. A change somebody waits for (a job's end, a flush) is never held back by this pacing (a
 * retry's back-off still applies to it). Retries and redelivery keep their own timing.
 *
 * <p>Before a group's first push the target's own record of the group is read back and handed to
 * the source, so outcomes the target holds from earlier JVMs are never overwritten with less;
 * when a job's start is held, this is done at once, during the hold, so that a short job's end
 * does not wait for it.
 * Failed attempts are retried on the scheduler, with the back-off of the retry policy, each
 * attempt sending the newest state; the policy's predicate alone decides whether a failure is
 * worth retrying. State whose retries are exhausted is sent again every redelivery interval, at
 * once when the group changes again, or when a push of another group succeeds. State the target
 * rejected is not retried; the group is checked again every redelivery interval until it changes
 * or a check succeeds, since the cause may lie outside its state (another group's metric of the
 * same name with another type, credentials the target no longer takes), so the group recovers
 * when the cause is gone rather than at its job's next run.
 *
 * <p>Internal; not an extension point: public only for the starter's other packages, and may
 * change in any release.
 */
public final class GroupSender implements StateSender, AutoCloseable {

	private static final Log logger = LogFactory.getLog(GroupSender.class);

	private final PushClient client;

	private final GroupStateSource source;

	private final RetryPolicy retryPolicy;

	private final Duration redeliveryInterval;

	private final Duration minInterval;

	private final Duration closeTimeout;

	private final PushListener listener;

	private final TaskScheduler scheduler;

	/**
	 * Lets the job's thread go on before an attempt nobody waits for is built: a test's counter,
	 * or {@code null} for {@link Thread#yield} (no method reference: see {@link Attempt}).
	 */
	private final @Nullable Runnable giveWay;

	private final Object lock = new Object();

	private final Map<PushGroup, Slot> slots = new HashMap<>();

	private boolean closed;

	/**
	 * Creates a sender.
	 * @param client sends to the target
	 * @param source builds each group's state
	 * @param retryPolicy decides which failures to retry, how often and how fast
	 * @param redeliveryInterval how long state whose retries are exhausted waits before it is sent
	 * again
	 * @param minInterval the shortest time between the starts of two attempts of a group for
	 * changes nobody waits for; zero pushes every change at once
	 * @param closeTimeout how long {@link #close()} waits for undelivered state
	 * @param listener told about every attempt
	 * @param scheduler runs every attempt, one at a time
	 */
	public GroupSender(PushClient client, GroupStateSource source, RetryPolicy retryPolicy,
			Duration redeliveryInterval, Duration minInterval, Duration closeTimeout, PushListener listener,
			TaskScheduler scheduler) {
		this(client, source, retryPolicy, redeliveryInterval, minInterval, closeTimeout, listener, scheduler,
				null);
	}

	GroupSender(PushClient client, GroupStateSource source, RetryPolicy retryPolicy, Duration redeliveryInterval,
			Duration minInterval, Duration closeTimeout, PushListener listener, TaskScheduler scheduler,
			@Nullable Runnable giveWay) {
		Assert.notNull(client, "'client' must not be null");
		Assert.notNull(source, "'source' must not be null");
		Assert.notNull(retryPolicy, "'retryPolicy' must not be null");
		Assert.isTrue(redeliveryInterval != null && !redeliveryInterval.isNegative() && !redeliveryInterval.isZero(),
				"'redeliveryInterval' must be positive");
		Assert.isTrue(minInterval != null && !minInterval.isNegative(), "'minInterval' must not be negative");
		Assert.isTrue(closeTimeout != null && !closeTimeout.isNegative(), "'closeTimeout' must not be negative");
		Assert.notNull(listener, "'listener' must not be null");
		Assert.notNull(scheduler, "'scheduler' must not be null");
		this.client = client;
		this.source = source;
		this.retryPolicy = retryPolicy;
		this.redeliveryInterval = redeliveryInterval;
		this.minInterval = minInterval;
		this.closeTimeout = closeTimeout;
		this.listener = listener;
		this.scheduler = scheduler;
		this.giveWay = giveWay;
	}

	/**
	 * Says that a group's state changed and that the caller will wait for its delivery, as a
	 * job's end does: it is pushed at once, or right after the attempt in flight. Returns at once.
	 * @param group the group
	 * @return the delivery of the group's state as it is now, or newer
	 */
	@Override
	public Delivery request(PushGroup group) {
		Assert.notNull(group, "'group' must not be null");
		DeliveryOutcome outcome;
		Due due;
		synchronized (this.lock) {
			if (this.closed) {
				return Delivery.failed();
			}
			Slot slot = event(group);
			outcome = slot.waiterFor(slot.requested);
			due = arrange(group, slot);
		}
		submit(due);
		return new Delivery(outcome);
	}

	/**
	 * Says that a group's state changed and that nobody waits for it, as at a job's start or a
	 * step's end: it is pushed at once, or, when the group's last attempt started less than the
	 * minimum interval ago, with one push at the end of that interval. Returns at once; while such
	 * a push is already arranged, without waking any thread.
	 * @param group the group
	 */
	@Override
	public void changed(PushGroup group) {
		Assert.notNull(group, "'group' must not be null");
		Due due;
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			due = arrange(group, event(group));
		}
		submit(due);
	}

	/**
	 * Says that a job's execution started: its push is held for the minimum interval from now,
	 * not from the group's last push, so that a job that ends within that interval makes one
	 * push, its end, which ends the hold at once. A start after a quiet time is then no cheaper
	 * for the job's thread (it arms the timer instead of submitting the attempt), but the process
	 * pushes half as often. The group's first start also has the target read back at once (see
	 * {@link #submitReadAhead}). Returns at once.
	 * @param group the group
	 */
	@Override
	public void started(PushGroup group) {
		Assert.notNull(group, "'group' must not be null");
		Due due;
		Slot readAhead = null;
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			Slot slot = event(group);
			if (holdFromNow(group, slot)) {
				due = null;
				// A start is held only while nothing else is arranged for the group, so no other
				// read-ahead of it waits on the scheduler.
				readAhead = slot.readBack ? null : slot;
			}
			else {
				due = arrange(group, slot);
			}
		}
		submit(due);
		if (readAhead != null) {
			submitReadAhead(group, readAhead);
		}
	}

	/**
	 * Reads the target back for a group's first push while that push is held: the one-time work
	 * of a group (the read-back, the source's first look at its history, and in a cold process
	 * the HTTP client's classes and connection) is then done during the job's first interval,
	 * not on the way to its end, which a short job waits for. Not an attempt: a failure is left
	 * for the attempt, which reads back again and is retried and told as any other.
	 */
	private void submitReadAhead(PushGroup group, Slot slot) {
		try {
			this.scheduler.schedule(new ReadAhead(group, slot), now());
		}
		catch (RuntimeException ex) {
			// The scheduler is shutting down or failed: the attempt reads back itself.
			logger.debug("Scheduler rejected the read-back of " + group, ex);
		}
	}

	/** The read-back ahead of a group's first push; runs on the scheduler's thread. */
	private void readAhead(PushGroup group, Slot slot) {
		try {
			synchronized (this.lock) {
				if (this.closed || slot.running || slot.readBack) {
					return;
				}
			}
			absorbReadBack(group, slot);
		}
		catch (Exception ex) {
			// The attempt reads back again, and its failure is retried and told as any other.
			logger.debug("Could not read back " + group + " ahead of its first push to " + this.client.describe(),
					ex);
		}
	}

	/**
	 * Guarded by {@code lock}. Holds the group's next attempt for the whole minimum interval from
	 * now, when nothing else is arranged for it: an attempt running, due or waiting for its
	 * retry keeps its own timing, and a hold already armed keeps its end.
	 * @return whether the attempt is held
	 */
	private boolean holdFromNow(PushGroup group, Slot slot) {
		if (this.minInterval.isZero() || slot.running || slot.due || slot.timer != null
				|| !slot.waiters.isEmpty()) {
			return false;
		}
		scheduleLater(group, slot, this.minInterval);
		slot.holding = slot.timer != null;
		return slot.holding;
	}

	/** Guarded by {@code lock}. The group's slot, made at its first request. */
	private Slot slot(PushGroup group) {
		Slot slot = this.slots.get(group);
		if (slot == null) {
			slot = new Slot();
			this.slots.put(group, slot);
		}
		return slot;
	}

	/** Guarded by {@code lock}. Counts an event of the group. */
	private Slot event(PushGroup group) {
		Slot slot = slot(group);
		slot.requested++;
		slot.lastEvent = slot.requested;
		if (slot.parked || slot.rechecking) {
			// Redelivery or a check of rejected state was waiting for its interval: newer state
			// goes now.
			slot.parked = false;
			slot.rechecking = false;
			slot.cancelTimer();
		}
		return slot;
	}

	/**
	 * Says that a group's state may have changed without an event, as a heartbeat does: it is
	 * sent with the next attempt, paced like {@link #changed}; state waiting for its redelivery
	 * interval keeps waiting (and will be the newest when it goes), so an outage is not hammered
	 * at the heartbeat's pace.
	 * @param group the group
	 */
	@Override
	public void refresh(PushGroup group) {
		Assert.notNull(group, "'group' must not be null");
		Due due = null;
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			Slot slot = slot(group);
			slot.requested++;
			if (slot.rechecking) {
				// A heartbeat of a running job checks rejected state at its own pace.
				slot.rechecking = false;
				slot.cancelTimer();
			}
			if (!slot.parked) {
				due = arrange(group, slot);
			}
		}
		submit(due);
	}

	/**
	 * Waits until every group's state requested so far has been delivered or given up, at most
	 * for the given time. State waiting for redelivery is sent once more first.
	 * @param timeout the longest wait
	 * @return whether everything was delivered
	 */
	@Override
	public boolean flush(Duration timeout) {
		List<DeliveryOutcome> outcomes = new ArrayList<>();
		List<@Nullable Due> due = new ArrayList<>();
		synchronized (this.lock) {
			for (Map.Entry<PushGroup, Slot> each : this.slots.entrySet()) {
				Slot slot = each.getValue();
				if (slot.delivered < slot.requested) {
					outcomes.add(slot.waiterFor(slot.requested));
					if (slot.parked) {
						slot.parked = false;
						slot.cancelTimer();
					}
					// Somebody waits now: a hold ends at once.
					due.add(arrange(each.getKey(), slot));
				}
			}
		}
		submitAll(due);
		return new Delivery(outcomes).await(timeout);
	}

	/**
	 * Returns a check that refills the target after a restart that emptied it: run at a low rate
	 * on this sender's scheduler, it has the groups this sender pushed and the target lost pushed
	 * again with their newest state ({@link GatewayRefill}).
	 * @return the check
	 */
	public Runnable refillCheck() {
		RefillView view = new RefillView();
		return new GatewayRefill(this.client, view, view, view);
	}

	/**
	 * Returns whether the target takes this sender's pushes: one was delivered and none fails now.
	 * @return {@code true} when the pushes pass
	 */
	boolean pushesPass() {
		synchronized (this.lock) {
			boolean delivered = false;
			for (Slot slot : this.slots.values()) {
				if (slot.failingSince != null) {
					return false;
				}
				delivered |= slot.delivered > 0;
			}
			return delivered;
		}
	}

	/**
	 * Returns every group this sender was asked to push.
	 * @return the groups, in no particular order
	 */
	List<PushGroup> groups() {
		synchronized (this.lock) {
			return new ArrayList<>(this.slots.keySet());
		}
	}

	/**
	 * Returns the groups whose newest state has not reached the target.
	 * @return the undelivered groups
	 */
	@Override
	public List<PushGroup> undeliveredGroups() {
		synchronized (this.lock) {
			List<PushGroup> groups = new ArrayList<>();
			for (Map.Entry<PushGroup, Slot> each : this.slots.entrySet()) {
				if (each.getValue().delivered < each.getValue().requested) {
					groups.add(each.getKey());
				}
			}
			return groups;
		}
	}

	/**
	 * Returns the groups whose last attempt failed (their state is being retried, waits for
	 * redelivery, or was rejected by the target), each with the time of its first failed attempt
	 * since it was last delivered.
	 * @return the failing groups and since when they fail
	 */
	@Override
	public Map<PushGroup, Instant> failingGroups() {
		synchronized (this.lock) {
			Map<PushGroup, Instant> failing = new LinkedHashMap<>();
			for (Map.Entry<PushGroup, Slot> each : this.slots.entrySet()) {
				if (each.getValue().failingSince != null) {
					failing.put(each.getKey(), each.getValue().failingSince);
				}
			}
			return failing;
		}
	}

	@Override
	public Map<String, Map<PushGroup, Instant>> failingGroupsByTarget() {
		Map<PushGroup, Instant> failing = failingGroups();
		return failing.isEmpty() ? Map.of() : Map.of(this.client.describe(), failing);
	}

	/**
	 * Flushes for at most the given time, then stops sending.
	 * @param timeout the longest wait for undelivered state
	 */
	@Override
	public void close(Duration timeout) {
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
		}
		boolean delivered = flush(timeout);
		List<DeliveryOutcome> abandoned = new ArrayList<>();
		List<PushGroup> undelivered = undeliveredGroups();
		synchronized (this.lock) {
			this.closed = true;
			for (Slot slot : this.slots.values()) {
				slot.cancelTimer();
				for (Waiter waiter : slot.waiters) {
					abandoned.add(waiter.outcome);
				}
				slot.waiters.clear();
			}
		}
		if (!delivered && !undelivered.isEmpty()) {
			// The wait that mattered may have been before this close (a shutdown's flush): only
			// this close's own wait is named.
			logger.warn("Stopped with undelivered job state for " + undelivered + " at " + this.client.describe()
					+ ": not accepted before the application stopped"
					+ (timeout.isZero() ? "" : " (waited " + timeout + " more at the end)"));
		}
		// Nobody will send these any more: tell whoever still waits, rather than let them time out.
		completeAll(abandoned, false);
	}

	/**
	 * Flushes for at most the close timeout, then stops sending. Called at application shutdown,
	 * so that a process that exits right after its job still delivers its state.
	 */
	@Override
	public void close() {
		close(this.closeTimeout);
	}

	/**
	 * Guarded by {@code lock}. Arranges the next attempt of a group whose state changed: at once
	 * when somebody waits for it or the group's last attempt started at least the minimum interval
	 * ago, otherwise held until the end of that interval. Nothing while an attempt runs (its end
	 * arranges the next), is due, or waits for a retry; a hold ends at once when somebody waits.
	 * @return the attempt to {@link #submit} once the lock is released, {@code null} when there
	 * is none to submit
	 */
	private @Nullable Due arrange(PushGroup group, Slot slot) {
		if (slot.running || slot.due) {
			return null;
		}
		if (slot.timer != null) {
			if (!slot.holding || slot.waiters.isEmpty()) {
				return null;
			}
			slot.cancelTimer();
		}
		if (slot.waiters.isEmpty() && hold(group, slot)) {
			return null;
		}
		return dueNow(group, slot);
	}

	/**
	 * Guarded by {@code lock}. Holds the group's next attempt until the minimum interval since the
	 * start of its last attempt has passed, when it has not.
	 * @return whether the attempt is held
	 */
	private boolean hold(PushGroup group, Slot slot) {
		Instant lastStart = slot.lastStart;
		if (lastStart == null || this.minInterval.isZero()) {
			return false;
		}
		Duration left = Duration.between(now(), lastStart.plus(this.minInterval));
		if (left.isNegative() || left.isZero()) {
			return false;
		}
		if (left.compareTo(this.minInterval) > 0) {
			// The clock was set back since the last attempt: never hold for longer than the interval.
			left = this.minInterval;
		}
		scheduleLater(group, slot, left);
		// Not held when the scheduler refused the timer: the attempt is then submitted, and its
		// refusal handled, as any other.
		slot.holding = slot.timer != null;
		return slot.holding;
	}

	private Instant now() {
		return this.scheduler.getClock().instant();
	}

	/**
	 * Guarded by {@code lock}. Marks an attempt of the group as due now, unless one is already
	 * due, waiting for its delay, or running.
	 * @return the attempt to {@link #submit} once the lock is released, {@code null} when there
	 * is none
	 */
	private @Nullable Due dueNow(PushGroup group, Slot slot) {
		if (slot.running || slot.timer != null || slot.due) {
			return null;
		}
		slot.due = true;
		return new Due(group, slot, ++slot.ticket, !slot.waiters.isEmpty());
	}

	private void submitAll(List<@Nullable Due> due) {
		for (Due each : due) {
			submit(each);
		}
	}

	private static void completeAll(List<DeliveryOutcome> outcomes, boolean delivered) {
		for (DeliveryOutcome outcome : outcomes) {
			outcome.complete(delivered);
		}
	}

	/**
	 * Hands an attempt marked due to the scheduler. Called without the lock: the scheduler's
	 * thread, woken by this, takes the lock at once, and a job's thread that still held it would
	 * have to wake that thread a second time on its way out.
	 */
	private void submit(@Nullable Due due) {
		if (due == null) {
			return;
		}
		try {
			// Kept without the lock, only so that close() can take the task off the scheduler; a
			// task it misses runs with an outdated ticket and does nothing.
			due.slot.dueTask = this.scheduler.schedule(new Attempt(due.group, due.ticket, due.awaited), now());
		}
		catch (RuntimeException ex) {
			// The scheduler is shutting down (close() tells whoever waits) or failed: the group is
			// not left marked due, so that its next request schedules it again.
			logger.debug("Scheduler rejected the push of " + due.group, ex);
			synchronized (this.lock) {
				if (due.slot.ticket == due.ticket) {
					due.slot.due = false;
				}
			}
		}
	}

	/**
	 * Guarded by {@code lock}. Each scheduled attempt carries a ticket: one whose ticket is no
	 * longer the slot's (it was cancelled, but had already started) does nothing, so a group never
	 * has two chains of attempts.
	 */
	private void scheduleLater(PushGroup group, Slot slot, Duration delay) {
		long ticket = ++slot.ticket;
		try {
			slot.timer = this.scheduler.schedule(new Attempt(group, ticket, false), now().plus(delay));
		}
		catch (RuntimeException ex) {
			// The scheduler is shutting down (close() tells whoever waits) or failed: the slot is
			// left without a timer, so that the group's next request arranges an attempt again. A
			// job's thread gets here too (a hold), and must never see the exception.
			logger.debug("Scheduler rejected the push of " + group, ex);
		}
	}

	/**
	 * Guarded by {@code lock}. Arranges a check of a group whose state was rejected, after the
	 * redelivery interval: its state, rebuilt then, is sent once more.
	 */
	private void scheduleRecheck(PushGroup group, Slot slot) {
		long ticket = ++slot.ticket;
		try {
			slot.timer = this.scheduler.schedule(new Recheck(group, ticket), now().plus(this.redeliveryInterval));
		}
		catch (RuntimeException ex) {
			// The scheduler is shutting down or failed: the group's next change pushes it again.
			slot.rechecking = false;
			logger.debug("Scheduler rejected the check of " + group, ex);
		}
	}

	/** A check of rejected state; runs on the scheduler's thread. */
	private void recheck(PushGroup group, long ticket) {
		synchronized (this.lock) {
			Slot slot = this.slots.get(group);
			if (slot == null || this.closed || slot.ticket != ticket || !slot.rechecking) {
				return;
			}
			slot.rechecking = false;
			slot.requested++;
		}
		send(group, ticket, false);
	}

	/**
	 * One attempt; runs on the scheduler's thread.
	 * @param awaited whether somebody waited for the attempt when it was handed to the scheduler
	 */
	void send(PushGroup group, long ticket, boolean awaited) {
		if (!awaited) {
			// A job's thread has usually just woken this one, and with every core busy the
			// scheduler may run this one on the job's core at once: give way, so that the job goes
			// on while the state is built and pushed rather than wait for it. Not when somebody
			// waits (a job's end, a flush): that thread parks now, and on a busy machine a yield
			// would put this push behind other threads' time slices, milliseconds it waits longer.
			if (this.giveWay != null) {
				this.giveWay.run();
			}
			else {
				Thread.yield();
			}
		}
		Slot slot;
		long building;
		synchronized (this.lock) {
			slot = this.slots.get(group);
			if (slot == null || this.closed || slot.ticket != ticket || slot.running) {
				return;
			}
			slot.timer = null;
			slot.holding = false;
			slot.due = false;
			if (slot.delivered >= slot.requested) {
				return;
			}
			slot.lastStart = now();
			slot.running = true;
			slot.parked = false;
			building = slot.requested;
			slot.building = building;
		}
		long start = System.nanoTime();
		boolean done = false;
		try {
			MetricSnapshots state = build(group, slot);
			if (state != null) {
				this.client.push(group, state);
				this.listener.pushSucceeded(group, Duration.ofNanos(System.nanoTime() - start));
			}
			done = true;
			succeeded(group, slot, building);
		}
		catch (StateNotBuilt ex) {
			logger.warn(ex.getMessage(), ex.getCause());
			done = true;
			// Not checked again on a timer: the state source fails the same way until the group
			// changes, and each check would log this again.
			failed(group, slot, building, ex, false, false);
		}
		catch (Exception ex) {
			this.listener.pushFailed(group, ex, Duration.ofNanos(System.nanoTime() - start));
			done = true;
			failed(group, slot, building, ex, this.retryPolicy.shouldRetry(ex));
		}
		finally {
			if (!done) {
				// An Error escaped: never leave the group marked as in flight, or it would never be
				// sent again.
				failed(group, slot, building, null, false);
			}
		}
	}

	/** Reads the target back before the group's first push, then has the source build the state. */
	private @Nullable MetricSnapshots build(PushGroup group, Slot slot) throws Exception {
		if (!slot.readBack) {
			absorbReadBack(group, slot);
		}
		try {
			return this.source.snapshot(group);
		}
		catch (RuntimeException | LinkageError ex) {
			throw new StateNotBuilt(group, ex);
		}
	}

	/**
	 * Reads what the target holds for the group and hands it to the source, once: the source
	 * takes the newest of each outcome, so a second read (an attempt that ran beside a read-back
	 * ahead of it) changes nothing.
	 */
	private void absorbReadBack(PushGroup group, Slot slot) throws Exception {
		GroupOutcomes held = readBack(group);
		try {
			this.source.absorb(group, held);
		}
		catch (RuntimeException | LinkageError ex) {
			throw new StateNotBuilt(group, ex);
		}
		slot.readBack = true;
	}

	private GroupOutcomes readBack(PushGroup group) throws Exception {
		try {
			return this.client.readOutcomes(group);
		}
		catch (PushRejectedException ex) {
			if (PushRejectedException.isWorthRetrying(ex)) {
				throw ex;
			}
			// A target that lets us write but not read (a proxy that allows only PUT) must still
			// get the job's state: push what this JVM knows.
			logger.warn("Could not read back what " + this.client.describe() + " holds for " + group + " ("
					+ ex.getStatus() + "); outcomes of earlier runs that only it knew may be replaced");
			return GroupOutcomes.NONE;
		}
	}

	private void succeeded(PushGroup group, Slot slot, long built) {
		List<DeliveryOutcome> done;
		List<@Nullable Due> due = new ArrayList<>();
		synchronized (this.lock) {
			slot.running = false;
			slot.backOff = null;
			slot.failingSince = null;
			slot.delivered = Math.max(slot.delivered, built);
			done = slot.takeWaitersUpTo(built);
			if (slot.delivered < slot.requested) {
				due.add(arrange(group, slot));
			}
			// The target is back: what waits for its redelivery interval goes now.
			for (Map.Entry<PushGroup, Slot> other : this.slots.entrySet()) {
				Slot otherSlot = other.getValue();
				if (otherSlot.parked) {
					otherSlot.parked = false;
					otherSlot.cancelTimer();
					due.add(dueNow(other.getKey(), otherSlot));
				}
			}
		}
		completeAll(done, true);
		// The hold after a push is armed here, on the scheduler's thread, so that the events of
		// the interval only count themselves: a job's thread that finds the hold set wakes no
		// thread (the price: one timer per push, which usually fires with nothing to send). Armed
		// after whoever waited (a job's end) has been let go: arming it is this thread's own
		// business. An event that came meanwhile arranged its own attempt or hold (a job's start
		// holds from its own time), which is kept.
		synchronized (this.lock) {
			if (!this.closed && !slot.running && !slot.due && slot.timer == null
					&& slot.delivered >= slot.requested) {
				hold(group, slot);
			}
		}
		submitAll(due);
	}

	private void failed(PushGroup group, Slot slot, long built, @Nullable Exception failure, boolean worthRetrying) {
		failed(group, slot, built, failure, worthRetrying, true);
	}

	private void failed(PushGroup group, Slot slot, long built, @Nullable Exception failure, boolean worthRetrying,
			boolean recheckWhenRejected) {
		List<DeliveryOutcome> done;
		Due due = null;
		synchronized (this.lock) {
			slot.running = false;
			if (slot.failingSince == null) {
				slot.failingSince = Instant.now();
			}
			if (worthRetrying && !this.closed) {
				if (slot.backOff == null) {
					slot.backOff = this.retryPolicy.getBackOff().start();
				}
				long delay = slot.backOff.nextBackOff();
				if (delay != BackOffExecution.STOP) {
					scheduleLater(group, slot, Duration.ofMillis(delay));
					return;
				}
			}
			slot.backOff = null;
			done = slot.takeWaitersUpTo(built);
			if (worthRetrying && !this.closed && slot.lastEvent > built) {
				// An event came while the retries ran: its state was never tried. Try it now, or
				// at the end of the pacing interval when nobody waits for it.
				due = arrange(group, slot);
			}
			else if (worthRetrying && !this.closed) {
				slot.parked = true;
				scheduleLater(group, slot, this.redeliveryInterval);
			}
			else {
				// Rejected: not retried, nobody waits any longer for this state. Newer state goes
				// as usual; without any, the group is checked again after the redelivery interval.
				slot.delivered = Math.max(slot.delivered, built);
				if (slot.delivered < slot.requested) {
					due = arrange(group, slot);
				}
				else if (!this.closed && recheckWhenRejected) {
					slot.rechecking = true;
					scheduleRecheck(group, slot);
				}
			}
		}
		completeAll(done, false);
		submit(due);
	}

	/**
	 * One group's delivery. Slots are kept for the life of the sender, so the read-back happens
	 * once per group; their number is bounded by the groups the batch side allows per job.
	 * Guarded by {@code lock}, but {@code readBack}: the scheduler thread's alone.
	 */
	private static final class Slot {

		/** Generation of the newest request. */
		long requested;

		/** Generation of the newest state delivered or given up for good. */
		long delivered;

		/** Waiters by generation, oldest first; at most one waits for a generation not yet built. */
		final List<Waiter> waiters = new ArrayList<>(2);

		boolean running;

		/** When the last attempt started, {@code null} before the first. */
		@Nullable Instant lastStart;

		/** The timer is the hold until the minimum interval since the last attempt has passed. */
		boolean holding;

		/** Generation the running attempt builds. */
		long building;

		/** Waiting for the redelivery interval after exhausted retries. */
		boolean parked;

		/** Waiting for the redelivery interval to check state the target rejected. */
		boolean rechecking;

		/** A delayed attempt (retry, redelivery, the end of a hold) waits for its time. */
		@Nullable ScheduledFuture<?> timer;

		/** An attempt was handed, or is about to be handed, to the scheduler to run now. */
		boolean due;

		/** The last attempt handed to the scheduler to run now; written without the lock. */
		volatile @Nullable ScheduledFuture<?> dueTask;

		@Nullable BackOffExecution backOff;

		/** Generation of the newest request made by an event rather than a heartbeat. */
		long lastEvent;

		/** Identifies the one scheduled attempt that may run. */
		long ticket;

		/** First failed attempt since the group was last delivered, {@code null} when none. */
		@Nullable Instant failingSince;

		volatile boolean readBack;

		DeliveryOutcome waiterFor(long generation) {
			if (!this.waiters.isEmpty()) {
				Waiter last = this.waiters.get(this.waiters.size() - 1);
				if (!this.running || last.generation > this.building) {
					// Not yet taken by an attempt: it will be served by the same one.
					last.generation = generation;
					return last.outcome;
				}
			}
			Waiter waiter = new Waiter(generation);
			this.waiters.add(waiter);
			return waiter.outcome;
		}

		List<DeliveryOutcome> takeWaitersUpTo(long generation) {
			List<DeliveryOutcome> taken = new ArrayList<>();
			for (Iterator<Waiter> it = this.waiters.iterator(); it.hasNext();) {
				Waiter waiter = it.next();
				if (waiter.generation <= generation) {
					taken.add(waiter.outcome);
					it.remove();
				}
			}
			return taken;
		}

		void cancelTimer() {
			this.ticket++;
			this.due = false;
			this.holding = false;
			ScheduledFuture<?> dueTask = this.dueTask;
			if (dueTask != null) {
				dueTask.cancel(false);
				this.dueTask = null;
			}
			if (this.timer != null) {
				this.timer.cancel(false);
				this.timer = null;
			}
		}

	}

	private static final class Waiter {

		long generation;

		final DeliveryOutcome outcome = new DeliveryOutcome();

		Waiter(long generation) {
			this.generation = generation;
		}

	}

	/**
	 * An attempt marked due under the lock, to hand to the scheduler after it, and whether
	 * somebody waited for it then.
	 */
	private record Due(PushGroup group, Slot slot, long ticket, boolean awaited) {
	}

	/**
	 * The group's state could not be built: a fault of this application, not of the target, so
	 * it is not retried (the group's next change tries again) and not counted as a failed push.
	 */
	private static final class StateNotBuilt extends Exception {

		StateNotBuilt(PushGroup group, Throwable cause) {
			super("Could not build the state of " + group + " (" + cause.getClass().getName()
					+ "); not pushed until its next change", cause);
		}

	}

	/**
	 * An attempt of a group, on the scheduler's thread. No lambda or method reference here or in
	 * the loops above: each spins a class of its own at its first use, as costly as loading one,
	 * and a short job's cold JVM pays every one on its way to its first push (see
	 * docs/measured.md). A loop needs no class, and one named class serves every place that
	 * schedules an attempt.
	 */
	private final class Attempt implements Runnable {

		private final PushGroup group;

		private final long ticket;

		private final boolean awaited;

		Attempt(PushGroup group, long ticket, boolean awaited) {
			this.group = group;
			this.ticket = ticket;
			this.awaited = awaited;
		}

		@Override
		public void run() {
			send(this.group, this.ticket, this.awaited);
		}

	}

	/**
	 * What the refill check asks of this sender: its groups, a refresh of one, whether its pushes
	 * pass. One class for the three rather than a method reference each (see {@link Attempt}).
	 */
	private final class RefillView implements Supplier<List<PushGroup>>, Consumer<PushGroup>, BooleanSupplier {

		@Override
		public List<PushGroup> get() {
			return groups();
		}

		@Override
		public void accept(PushGroup group) {
			refresh(group);
		}

		@Override
		public boolean getAsBoolean() {
			return pushesPass();
		}

	}

	/** The read-back ahead of a group's first push, on the scheduler's thread. */
	private final class ReadAhead implements Runnable {

		private final PushGroup group;

		private final Slot slot;

		ReadAhead(PushGroup group, Slot slot) {
			this.group = group;
			this.slot = slot;
		}

		@Override
		public void run() {
			readAhead(this.group, this.slot);
		}

	}

	/** A check of a group's rejected state, on the scheduler's thread. */
	private final class Recheck implements Runnable {

		private final PushGroup group;

		private final long ticket;

		Recheck(PushGroup group, long ticket) {
			this.group = group;
			this.ticket = ticket;
		}

		@Override
		public void run() {
			recheck(this.group, this.ticket);
		}

	}

}
