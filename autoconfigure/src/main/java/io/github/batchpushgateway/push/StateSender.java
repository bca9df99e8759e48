package io.github.batchpushgateway.push;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the batch side asks of the sending side: that a group's state be delivered, now or with
 * the next attempt; and, at the end, that everything be delivered within a time.
 *
 * <p>Internal; not an extension point: public only for the starter's other packages, and may
 * change in any release.
 */
public interface StateSender {

	/**
	 * Says that a group's state changed because of an event whose delivery the caller waits for,
	 * as a job's end: it is never held back by the pacing of {@link #changed}. Returns at once.
	 * @param group the group
	 * @return the delivery of the group's state as it is now, or newer
	 */
	Delivery request(PushGroup group);

	/**
	 * Says that a job's execution started: held for the minimum interval from now, however long
	 * ago the group's last push was, so that a job that ends within that interval costs one push,
	 * its end (a start shown that much later is invisible to any scrape). Returns at once.
	 * @param group the group
	 */
	void started(PushGroup group);

	/**
	 * Says that a group's state changed because of an event nobody waits for, as a step's end: within the minimum interval since the start of the group's last push, it waits
	 * for the end of that interval and is pushed together with the changes made meanwhile.
	 * Returns at once.
	 * @param group the group
	 */
	void changed(PushGroup group);

	/**
	 * Says that a group's state may have changed without an event, as a heartbeat does.
	 * @param group the group
	 */
	void refresh(PushGroup group);

	/**
	 * Waits until every group's state requested so far has been delivered or given up.
	 * @param timeout the longest wait
	 * @return whether everything was delivered
	 */
	boolean flush(Duration timeout);

	/**
	 * Flushes for at most the given time, then stops sending.
	 * @param timeout the longest wait for undelivered state
	 */
	void close(Duration timeout);

	/**
	 * Returns the groups whose newest state has not reached a target.
	 * @return the undelivered groups
	 */
	List<PushGroup> undeliveredGroups();

	/**
	 * Returns the groups whose last attempt failed (being retried, waiting for redelivery, or
	 * rejected), each with the time of its first failed attempt since it was last delivered.
	 * @return the failing groups and since when they fail
	 */
	Map<PushGroup, Instant> failingGroups();

	/**
	 * Returns the failing groups ({@link #failingGroups}) of each target that has any, by the
	 * target's description (never with credentials).
	 * @return the failing groups by target
	 */
	Map<String, Map<PushGroup, Instant>> failingGroupsByTarget();

}
