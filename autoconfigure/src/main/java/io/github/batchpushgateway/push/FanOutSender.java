package io.github.batchpushgateway.push;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.util.Assert;

/**
 * Delivers every group's state to several targets, each through a sender of its own (its own
 * newest-state slots, retries and thread), so a target that is down or hangs never delays the
 * others. A delivery is complete when every target has it; the job's end and the shutdown wait
 * for all targets within one time budget, not one per target.
 *
 * <p>Internal; not an extension point: public only for the starter's other packages, and may
 * change in any release.
 */
public final class FanOutSender implements StateSender {

	private final List<? extends StateSender> targets;

	/**
	 * Creates a sender to the given targets' senders.
	 * @param targets one sender per target
	 */
	public FanOutSender(List<? extends StateSender> targets) {
		Assert.notEmpty(targets, "'targets' must not be empty");
		this.targets = List.copyOf(targets);
	}

	@Override
	public Delivery request(PushGroup group) {
		List<Delivery> deliveries = new ArrayList<>(this.targets.size());
		for (StateSender target : this.targets) {
			deliveries.add(target.request(group));
		}
		return Delivery.all(deliveries);
	}

	@Override
	public void started(PushGroup group) {
		this.targets.forEach((target) -> target.started(group));
	}

	@Override
	public void changed(PushGroup group) {
		this.targets.forEach((target) -> target.changed(group));
	}

	@Override
	public void refresh(PushGroup group) {
		this.targets.forEach((target) -> target.refresh(group));
	}

	@Override
	public boolean flush(Duration timeout) {
		return inParallel((target) -> target.flush(timeout), timeout);
	}

	@Override
	public void close(Duration timeout) {
		inParallel((target) -> {
			target.close(timeout);
			return true;
		}, timeout);
	}

	@Override
	public List<PushGroup> undeliveredGroups() {
		Set<PushGroup> groups = new LinkedHashSet<>();
		this.targets.forEach((target) -> groups.addAll(target.undeliveredGroups()));
		return new ArrayList<>(groups);
	}

	/** The earliest failure of each group at any target. */
	@Override
	public java.util.Map<PushGroup, java.time.Instant> failingGroups() {
		java.util.Map<PushGroup, java.time.Instant> failing = new java.util.LinkedHashMap<>();
		this.targets.forEach((target) -> target.failingGroups()
			.forEach((group, since) -> failing.merge(group, since, (a, b) -> a.isBefore(b) ? a : b)));
		return failing;
	}

	@Override
	public java.util.Map<String, java.util.Map<PushGroup, java.time.Instant>> failingGroupsByTarget() {
		java.util.Map<String, java.util.Map<PushGroup, java.time.Instant>> failing = new java.util.LinkedHashMap<>();
		this.targets.forEach((target) -> failing.putAll(target.failingGroupsByTarget()));
		return failing;
	}

	/** Runs the call on every target at once, and waits for all within the timeout. */
	private boolean inParallel(java.util.function.Function<StateSender, Boolean> call, Duration timeout) {
		ExecutorService executor = Executors.newFixedThreadPool(this.targets.size(), (runnable) -> {
			Thread thread = new Thread(runnable, "batch-pushgateway-flush");
			thread.setDaemon(true);
			return thread;
		});
		try {
			List<Future<Boolean>> results = new ArrayList<>();
			for (StateSender target : this.targets) {
				results.add(executor.submit(() -> call.apply(target)));
			}
			long deadline = System.nanoTime() + Delivery.nanos(timeout.plusMillis(200));
			boolean all = true;
			for (Future<Boolean> result : results) {
				try {
					all &= result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
				}
				catch (ExecutionException ex) {
					all = false;
				}
			}
			return all;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		finally {
			executor.shutdown();
			try {
				executor.awaitTermination(200, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
