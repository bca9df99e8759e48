package io.github.batchpushgateway.example.gdpr.metrics;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.github.batchpushgateway.example.gdpr.erasure.ErasureOutcome;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * How the requests of the current run ended, for {@code gdpr_erasure_last_run_requests}.
 * Written by the job's thread, read by whichever thread pushes; reset when a job execution
 * starts and restored from the erase step's execution context (counts only, no personal data)
 * when a failed execution is restarted.
 */
public class ErasureRunStatistics implements JobExecutionListener {

	private static final String CONTEXT_KEY_PREFIX = "gdpr.outcome.";

	private final Map<Outcome, AtomicLong> counts = new EnumMap<>(Outcome.class);

	public ErasureRunStatistics() {
		for (Outcome outcome : Outcome.values()) {
			this.counts.put(outcome, new AtomicLong());
		}
	}

	@Override
	public void beforeJob(JobExecution jobExecution) {
		this.counts.values().forEach((count) -> count.set(0));
	}

	/**
	 * Counts a request the erase step decided on.
	 * @param outcome what the request led to
	 */
	public void count(ErasureOutcome outcome) {
		switch (outcome) {
			case COMPLETED -> this.counts.get(Outcome.COMPLETED).incrementAndGet();
			case ON_HOLD -> this.counts.get(Outcome.ON_HOLD).incrementAndGet();
			case REJECTED -> this.counts.get(Outcome.REJECTED).incrementAndGet();
			case NO_DATA_HELD -> this.counts.get(Outcome.NO_DATA).incrementAndGet();
			case IDENTITY_NOT_VERIFIED -> this.counts.get(Outcome.FAILED).incrementAndGet();
			case NOT_PROCESSABLE -> {
			}
		}
	}

	/**
	 * Counts a request whose erasure was skipped.
	 */
	public void countFailed() {
		this.counts.get(Outcome.FAILED).incrementAndGet();
	}

	/**
	 * Counts requests that verification found residual data for as failed, moving those this
	 * run had counted as completed. The others were completed by an earlier run (one that
	 * stopped before verifying) and never counted here, so taking them from completed would
	 * make it wrong, even negative.
	 * @param completedInThisRun how many of them this run completed
	 * @param requests how many failed verification in all
	 */
	public void countFailedVerification(long completedInThisRun, long requests) {
		this.counts.get(Outcome.COMPLETED).addAndGet(-completedInThisRun);
		this.counts.get(Outcome.FAILED).addAndGet(requests);
	}

	/**
	 * Returns the current counts.
	 * @return requests per outcome, every outcome present
	 */
	public Map<Outcome, Long> snapshot() {
		Map<Outcome, Long> snapshot = new EnumMap<>(Outcome.class);
		this.counts.forEach((outcome, count) -> snapshot.put(outcome, count.get()));
		return snapshot;
	}

	/**
	 * Stores the counts in an execution context.
	 * @param context the erase step's context
	 */
	public void saveTo(ExecutionContext context) {
		this.counts.forEach((outcome, count) -> context.putLong(CONTEXT_KEY_PREFIX + outcome.label(), count.get()));
	}

	/**
	 * Continues from the counts in an execution context, if it has any (a restart).
	 * @param context the erase step's context
	 */
	public void restore(ExecutionContext context) {
		this.counts.forEach((outcome, count) -> {
			String key = CONTEXT_KEY_PREFIX + outcome.label();
			if (context.containsKey(key)) {
				count.set(context.getLong(key));
			}
		});
	}

	/**
	 * Outcomes as labelled in the metric.
	 */
	public enum Outcome {

		/**
		 * Erased.
		 */
		COMPLETED,

		/**
		 * Held by a legal hold.
		 */
		ON_HOLD,

		/**
		 * Refused for now (a contract still runs); marketing data erased.
		 */
		REJECTED,

		/**
		 * Nothing held about the subject; the requester told so.
		 */
		NO_DATA,

		/**
		 * Skipped with an error code, residual data found, or identity not verified.
		 */
		FAILED;

		/**
		 * Returns the label value.
		 * @return the lower-case name
		 */
		public String label() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
