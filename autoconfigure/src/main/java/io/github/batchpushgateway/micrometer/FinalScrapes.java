package io.github.batchpushgateway.micrometer;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.JobExecution;

/**
 * The meters of ended executions as they were when their final state was built, kept for as long
 * as the execution object itself is reachable: a redelivered final state (the gateway was down
 * at the job's end) still carries them, and they go when the starter's history lets go of the
 * execution. Keyed by identity, as the resourceless job repository gives every execution the
 * same id. Thread-safe.
 */
final class FinalScrapes {

	private final Map<Key, MetricSnapshots> scrapes = new HashMap<>();

	private final ReferenceQueue<JobExecution> cleared = new ReferenceQueue<>();

	synchronized void put(JobExecution execution, MetricSnapshots scrape) {
		expunge();
		this.scrapes.put(new Key(execution, this.cleared), scrape);
	}

	synchronized @Nullable MetricSnapshots get(JobExecution execution) {
		expunge();
		return this.scrapes.get(new Key(execution, null));
	}

	synchronized int size() {
		expunge();
		return this.scrapes.size();
	}

	private void expunge() {
		for (Reference<? extends JobExecution> ref = this.cleared.poll(); ref != null; ref = this.cleared.poll()) {
			this.scrapes.remove(ref);
		}
	}

	private static final class Key extends WeakReference<JobExecution> {

		private final int hash;

		Key(JobExecution execution, @Nullable ReferenceQueue<JobExecution> queue) {
			super(execution, queue);
			this.hash = System.identityHashCode(execution);
		}

		@Override
		public boolean equals(Object other) {
			if (this == other) {
				return true;
			}
			if (!(other instanceof Key key)) {
				return false;
			}
			JobExecution execution = get();
			return execution != null && execution == key.get();
		}

		@Override
		public int hashCode() {
			return this.hash;
		}

	}

}
