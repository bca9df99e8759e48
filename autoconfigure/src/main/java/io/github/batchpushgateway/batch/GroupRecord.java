package io.github.batchpushgateway.batch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.batchpushgateway.push.PushGroup;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.JobExecution;

/**
 * What this JVM tracks of one group: its executions not yet taken in by the sending side, and,
 * on the sending side alone, the time of the last progress and the ids of executions that ended
 * recently (so that a shared job repository that still lists one as running does not count it
 * twice).
 */
final class GroupRecord {

	private static final int RECENTLY_ENDED = 32;

	final PushGroup group;

	final String jobName;

	/** Added to by job threads, removed from by the sending side. */
	private final List<TrackedExecution> executions = new CopyOnWriteArrayList<>();

	private final Set<Long> recentlyEnded = new LinkedHashSet<>();

	/** Sending side's alone. */
	@Nullable Instant lastProgress;

	/** When the history was last refreshed from the job repository. Sending side's alone. */
	@Nullable Instant lastRefresh;

	/**
	 * Executions of other JVMs the job repository listed as running in the group at its last
	 * reading. Sending side's alone.
	 */
	List<JobExecution> runningElsewhere = List.of();

	/** When the repository was last asked for them, {@code null} if never. Sending side's alone. */
	@Nullable Instant runningElsewhereRead;

	GroupRecord(PushGroup group, String jobName) {
		this.group = group;
		this.jobName = jobName;
	}

	void add(TrackedExecution execution) {
		this.executions.add(execution);
	}

	List<TrackedExecution> executions() {
		return new ArrayList<>(this.executions);
	}

	boolean hasExecutions() {
		return !this.executions.isEmpty();
	}

	/** Sending side: the execution's end has been taken in. */
	synchronized void taken(TrackedExecution execution) {
		this.executions.remove(execution);
		Long id = execution.execution.getId();
		this.recentlyEnded.add(id);
		if (this.recentlyEnded.size() > RECENTLY_ENDED) {
			this.recentlyEnded.remove(this.recentlyEnded.iterator().next());
		}
	}

	synchronized boolean endedRecently(long id) {
		return this.recentlyEnded.contains(id);
	}

}
