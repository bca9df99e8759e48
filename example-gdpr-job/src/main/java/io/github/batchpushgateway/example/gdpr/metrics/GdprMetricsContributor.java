package io.github.batchpushgateway.example.gdpr.metrics;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.batchpushgateway.example.gdpr.erasure.SuppressionKeys;
import io.github.batchpushgateway.example.gdpr.retention.RequesterContacts;
import io.github.batchpushgateway.example.gdpr.verification.ResidualData;
import io.github.batchpushgateway.metrics.JobMetricsContributor;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * Adds the data-protection metrics to the erasure job's Pushgateway group, at every push the
 * starter makes (job start, step ends, progress, job end). Each value is a count kept per
 * status or per due day in the database, an indexed {@code COUNT} or first index entry, or a
 * count the steps kept, so a push stays cheap however large the tables are.
 *
 * <p>Times are exported as timestamps, not ages: the gateway keeps the last pushed value, so
 * an age would stop growing when the job stops running and a deadline alert would never fire,
 * whereas {@code time() - x} keeps working. Labels carry states, tables and outcomes only:
 * never personal data, never request ids (cardinality).
 *
 * <p>"Open" requests are those still waiting for an answer: awaiting identity, verified, or
 * failed. A request on hold, or deferred because a contract still runs, has been answered with
 * reasons (GDPR Art. 12(4)) and waits for the hold to be released or the contract to end, so it
 * counts as pending but has no running deadline.
 *
 * <p>A push costs the same however long the history and however much the run has to do:
 * the requests pending per state, the messages pending or given up and the requester
 * addresses kept after the reply are read from the counts {@link StatusCountTrigger} keeps in
 * the transaction of every change ({@link StatusCounts}); residual data is counted for the requests verification failed on
 * it (verification looks at each erasure once; the metric shows what it found until the data
 * is gone), not for every subject of the run; the run's audited records are read from the
 * totals per execution kept with the audit rows ({@link RunAuditTotals}); the
 * {@link IntegrityCensus} takes one index lookup per distinct status; the deadlines are the
 * first index entry per open status ({@link OpenRequestDeadlines}); the overdue requests and
 * the expired invoices not swept yet are read from the counts per due day
 * {@link DueCountTrigger} keeps with the rows ({@link DueCounts}): the days before today that
 * some row is due on, not the rows themselves.
 *
 * <p>What a run does as it happens, and only for its current execution (notifications by
 * recipient and outcome, time per request), the writers record through the starter's
 * {@code BatchMeters} instead. The run's decisions and audited records stay here: they span a
 * failed execution and its restart, and verification can take a decision back.
 */
public class GdprMetricsContributor implements JobMetricsContributor {

	private static final Map<String, String> STATES = Map.of("RECEIVED", "awaiting_identity", "VERIFIED", "verified",
			"ON_HOLD", "on_hold", "REJECTED", "deferred", "FAILED", "failed");

	/**
	 * Reason codes of a refusal that waits for a contract to end: the request is pending.
	 */
	private static final List<String> DEFERRING_REASONS = List.of("OPEN_CONTRACT", "UNKNOWN_ORDER_STATUS");

	/**
	 * Table and action pairs the job can record, exported even when zero so that dashboards
	 * and queries see a steady set of series.
	 */
	private static final List<List<String>> RECORD_KINDS = List.of(List.of("customer", "deleted"),
			List.of("address", "deleted"), List.of("marketing_consent", "deleted"), List.of("subject_disclosure", "deleted"),
			List.of("legal_hold", "deleted"), List.of("orders", "minimized"), List.of("invoice", "restricted"),
			List.of("invoice", "deleted"), List.of("suppression_entry", "suppressed"),
			List.of("erasure_request", "minimized"), List.of("notification_outbox", "not_notified"));

	private final String jobName;

	private final JdbcClient jdbc;

	private final ResidualData residualData;

	private final ErasureRunStatistics statistics;

	private final Clock clock;

	private final SuppressionKeys suppressionKeys;

	private final IntegrityCensus census;

	private final ContributionCost cost = new ContributionCost();

	private final RunAuditTotals auditTotals;

	private final OpenRequestDeadlines deadlines;

	private final DueCounts dueCounts;

	public GdprMetricsContributor(String jobName, JdbcClient jdbc, ResidualData residualData,
			ErasureRunStatistics statistics, Clock clock, SuppressionKeys suppressionKeys, IntegrityCensus census) {
		Assert.hasText(jobName, "'jobName' must not be empty");
		Assert.notNull(jdbc, "'jdbc' must not be null");
		Assert.notNull(residualData, "'residualData' must not be null");
		Assert.notNull(statistics, "'statistics' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		Assert.notNull(suppressionKeys, "'suppressionKeys' must not be null");
		Assert.notNull(census, "'census' must not be null");
		this.jobName = jobName;
		this.jdbc = jdbc;
		this.residualData = residualData;
		this.statistics = statistics;
		this.clock = clock;
		this.suppressionKeys = suppressionKeys;
		this.census = census;
		this.auditTotals = new RunAuditTotals(jdbc);
		this.deadlines = new OpenRequestDeadlines(jdbc);
		this.dueCounts = new DueCounts(jdbc);
	}

	@Override
	public Collection<MetricSnapshot> contribute(JobExecution jobExecution) {
		if (!this.jobName.equals(jobExecution.getJobInstance().getJobName())) {
			return List.of();
		}
		long started = System.nanoTime();
		long startedCpu = ContributionCost.cpuNanos();
		List<MetricSnapshot> metrics = new ArrayList<>();
		StatusCounts counts = StatusCounts.read(this.jdbc);
		metrics.add(pendingRequests(counts));
		LocalDate today = LocalDate.now(this.clock);
		metrics.add(gauge("gdpr_erasure_requests_overdue",
				"Open erasure requests past their deadline (GDPR Art. 12(3): one month, or three when validly extended).",
				single(this.deadlines.overdue(today))));
		LocalDateTime oldestReceived = this.deadlines.oldestReceived();
		if (oldestReceived != null) {
			metrics.add(gauge("gdpr_erasure_oldest_pending_request_received_timestamp_seconds",
					"When the oldest open erasure request was received, in seconds since the epoch; absent when none is open.",
					single(epochSeconds(oldestReceived))));
		}
		// Of the requests not overdue yet: an overdue one (a requester who never proves identity)
		// is counted above, and as the minimum it would hide every later deadline from the alerts.
		LocalDate nextDeadline = this.deadlines.nextDeadline(today);
		if (nextDeadline != null) {
			metrics.add(gauge("gdpr_erasure_next_deadline_timestamp_seconds",
					"End of the earliest deadline day among open erasure requests not overdue yet (the moment it becomes overdue), in seconds since the epoch; absent when there is none.",
					single(epochSeconds(nextDeadline.plusDays(1).atStartOfDay()))));
		}
		metrics.add(gauge("gdpr_erasure_recipient_notifications_pending",
				"Queued notifications not delivered yet: Art. 19 notices to recipients and replies to requesters.",
				single(counts.messages("PENDING", false))));
		metrics.add(gauge("gdpr_erasure_notifications_undeliverable",
				"Notifications given up as impossible or disproportionate effort (GDPR Art. 19) that the data-protection officer has not acknowledged yet.",
				single(counts.messages("UNDELIVERABLE", false))));
		metrics.add(perLabel("gdpr_erasure_verification_residual_records",
				"Rows of personal data still present for subjects whose erasure verification found incomplete (requests FAILED with RESIDUAL_DATA), by table.",
				"table", this.residualData.ofRequestsFailedOnResidualData()));
		IntegrityCensus.Result census = this.census.take();
		metrics.add(perLabel("gdpr_unknown_status_records",
				"Rows in a status the job does not know, by table: an order counts as an open contract, a request is processed by nobody.",
				"table", census.unknownStatuses()));
		metrics.add(gauge("gdpr_suppression_key_usable",
				"Whether the suppression list's HMAC key is set and strong enough (1) or missing or weak (0): without it the job erases nothing.",
				single((this.suppressionKeys.problem() == null) ? 1 : 0)));
		metrics.add(gauge("gdpr_suppression_entries_without_key",
				"Suppression entries made under a key that is not configured: the key was changed, and they match nobody.",
				single(census.suppressionEntriesWithoutKey())));
		metrics.add(retentionExpired(counts));
		metrics.add(lastRunRequests());
		metrics.add(lastRunRecords(jobExecution));
		metrics.addAll(this.cost.record(jobExecution, System.nanoTime() - started, ContributionCost.cpuNanos() - startedCpu));
		return metrics;
	}

	private MetricSnapshot pendingRequests(StatusCounts counts) {
		Map<String, Long> byState = new LinkedHashMap<>();
		STATES.values().stream().sorted().forEach((state) -> byState.put(state, 0L));
		for (String status : List.of("RECEIVED", "VERIFIED", "ON_HOLD", "FAILED")) {
			byState.put(STATES.get(status), counts.requests(status));
		}
		byState.put(STATES.get("REJECTED"), counts.requests("REJECTED", DEFERRING_REASONS));
		return perLabel("gdpr_erasure_requests_pending", "Erasure requests not yet completed or refused, by state.",
				"state", byState);
	}

	private MetricSnapshot retentionExpired(StatusCounts counts) {
		Map<String, Long> byTable = new LinkedHashMap<>();
		// counted per retention day with the rows: the days before today, not every expired invoice
		byTable.put("invoice", this.dueCounts.before(DueCountTrigger.RESTRICTED_INVOICE, LocalDate.now(this.clock)));
		// counted with the rows: as an index range, the run's answered requests between its
		// confirmations and its retention sweep (45,000 at 1,000,000 demo customers) at each push
		long contacts = 0;
		for (String status : RequesterContacts.ANSWERED) {
			contacts += counts.requesterContactsWithReplyOut(status);
		}
		byTable.put("erasure_request", contacts);
		return perLabel("gdpr_retention_expired_records",
				"Rows kept past the end of their retention (restricted invoices, requester contact details after the reply), by table; the retention sweep removes them.",
				"table", byTable);
	}

	private MetricSnapshot lastRunRequests() {
		Map<String, Long> byOutcome = new LinkedHashMap<>();
		this.statistics.snapshot().forEach((outcome, requests) -> byOutcome.put(outcome.label(), requests));
		return perLabel("gdpr_erasure_last_run_requests",
				"Erasure requests decided by the current or last run (including its restarts), by outcome.", "outcome",
				byOutcome);
	}

	private MetricSnapshot lastRunRecords(JobExecution jobExecution) {
		Map<List<String>, Long> counts = new LinkedHashMap<>();
		RECORD_KINDS.forEach((kind) -> counts.put(kind, 0L));
		// a restart is a new execution of the same instance: the totals count all of its executions
		counts.putAll(this.auditTotals.of(jobExecution));
		GaugeSnapshot.Builder gauge = GaugeSnapshot.builder()
			.name("gdpr_erasure_last_run_records")
			.help("Rows the current or last run (including its restarts) deleted, minimised, restricted or suppressed, by table and action.");
		counts.forEach((kind, records) -> gauge.dataPoint(GaugeDataPointSnapshot.builder()
			.labels(Labels.of("table", kind.get(0), "action", kind.get(1)))
			.value(records)
			.build()));
		return gauge.build();
	}

	private double epochSeconds(LocalDateTime time) {
		ZoneId zone = this.clock.getZone();
		return time.atZone(zone).toEpochSecond();
	}

	private static MetricSnapshot perLabel(String name, String help, String label, Map<String, Long> values) {
		GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(name).help(help);
		values.forEach((value, count) -> gauge
			.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of(label, value)).value(count).build()));
		return gauge.build();
	}

	private static MetricSnapshot gauge(String name, String help, GaugeDataPointSnapshot dataPoint) {
		return GaugeSnapshot.builder().name(name).help(help).dataPoint(dataPoint).build();
	}

	private static GaugeDataPointSnapshot single(double value) {
		return GaugeDataPointSnapshot.builder().value(value).build();
	}

	/**
	 * What computing these metrics cost the pushes of one execution, so that a history that
	 * makes them slower shows: {@code gdpr_metrics_contribution_seconds}, a summary (count and
	 * sum) of the time each push spent here, this one included, and
	 * {@code gdpr_metrics_contribution_cpu_seconds}, the same in CPU time of the pushing thread.
	 */
	private static final class ContributionCost {

		/**
		 * The execution counted, by id and creation time: an ended execution may come as
		 * another object of it (read again from the job repository), which would start the
		 * count again at its last push, and ids repeat where the job repository starts afresh
		 * (an in-memory database).
		 */
		private @Nullable List<Object> execution;

		private long pushes;

		private long nanos;

		private long cpuNanos;

		/**
		 * CPU time of the pushing thread so far, or -1 where the JVM does not measure it. Wall
		 * time on a loaded machine is mostly time spent waiting for a core; CPU time is the
		 * cost itself.
		 */
		static long cpuNanos() {
			ThreadMXBean threads = ManagementFactory.getThreadMXBean();
			return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
		}

		synchronized List<MetricSnapshot> record(JobExecution jobExecution, long elapsedNanos, long elapsedCpuNanos) {
			List<Object> execution = Arrays.asList(jobExecution.getId(), jobExecution.getCreateTime());
			if (!execution.equals(this.execution)) {
				this.execution = execution;
				this.pushes = 0;
				this.nanos = 0;
				this.cpuNanos = 0;
			}
			this.pushes++;
			this.nanos += elapsedNanos;
			this.cpuNanos += elapsedCpuNanos;
			MetricSnapshot wall = SummarySnapshot.builder()
				.name("gdpr_metrics_contribution_seconds")
				.help("Time the pushes of this execution spent computing the GDPR metrics (count: pushes, sum: seconds).")
				.dataPoint(SummaryDataPointSnapshot.builder().count(this.pushes).sum(this.nanos / 1e9).build())
				.build();
			if (cpuNanos() < 0) {
				return List.of(wall);
			}
			return List.of(wall, SummarySnapshot.builder()
				.name("gdpr_metrics_contribution_cpu_seconds")
				.help("CPU time the pushes of this execution spent computing the GDPR metrics (count: pushes, sum: seconds of the pushing thread).")
				.dataPoint(SummaryDataPointSnapshot.builder().count(this.pushes).sum(this.cpuNanos / 1e9).build())
				.build());
		}

	}

}
