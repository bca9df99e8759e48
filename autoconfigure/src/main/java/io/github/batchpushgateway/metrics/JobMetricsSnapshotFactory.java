package io.github.batchpushgateway.metrics;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.util.Assert;

/**
 * Turns a group's state (its running execution, history and schedule) into the complete set of
 * metrics pushed for the group: the metric contract of the README. Snapshots carry no timestamps (the Pushgateway
 * rejects them) and are built directly, without metric objects, so nothing here samples exemplars.
 *
 * <p>Internal; not an extension point: public only for the starter's other packages, and may
 * change in any release.
 */
public final class JobMetricsSnapshotFactory {

	private static final Log logger = LogFactory.getLog(JobMetricsSnapshotFactory.class);

	/**
	 * How many steps' labels are kept: a job has a few steps of fixed names; a job that names its
	 * steps anew at every run gets its labels built at every push rather than a growing map.
	 */
	static final int CACHED_STEPS = 256;

	/**
	 * How many exit codes' families are kept: a job ends with a few exit codes; one that makes a
	 * new exit code at every run gets its family built at every push rather than a growing map.
	 */
	static final int CACHED_EXIT_CODES = 64;

	/**
	 * How many jobs' step status families are kept, the last one of each: beyond that number a
	 * job's family is built at every push.
	 */
	static final int CACHED_JOBS = 256;

	/** The job's status labels, by {@link BatchStatus#ordinal()}. */
	private static final Labels[] JOB_STATUS = statusLabels(Labels.EMPTY);

	/**
	 * The {@code batch_job_status} family for each status, by {@link BatchStatus#ordinal()}, made
	 * at the first push that shows it. The family sorts and checks its nine samples' labels each
	 * time it is made; there are only nine of them, and a snapshot cannot change once made. Filled
	 * without a lock: two threads that make the same family at once make equal ones, and a
	 * snapshot's fields are final, so another thread sees either one whole.
	 */
	private static final GaugeSnapshot[] JOB_STATUS_FAMILIES = new GaugeSnapshot[BatchStatus.values().length];

	/**
	 * Each family's name and help, by name. Made by a snapshot's builder at every push, they were
	 * validated anew each time (some 25 per push of a job with steps); the starter's families are
	 * fixed, so each is made once per JVM.
	 */
	private static final Map<String, MetricMetadata> METADATA = new ConcurrentHashMap<>();

	private final Supplier<? extends Collection<JobMetricsContributor>> contributors;

	/**
	 * The labels of each step's samples, by step name. {@code Labels} validates and sorts its
	 * names each time it is made, and a push of a four-step job makes some 70 of them: kept, they
	 * are made at a step's first push only, which the job's end, waiting for its push, then does
	 * not pay for.
	 */
	private final Map<String, StepLabels> stepLabels = new ConcurrentHashMap<>();

	/**
	 * The {@code batch_job_exit} family of each exit code. Its label is checked and sorted each
	 * time it is made, the largest of the job's own pieces of a push's metrics; a job ends with
	 * the same few exit codes.
	 */
	private final Map<String, InfoSnapshot> exitFamilies = new ConcurrentHashMap<>();

	/**
	 * The last {@code batch_step_status} family of each job, with the steps and statuses it shows:
	 * a push whose steps show the same statuses as that family (a job whose steps complete, at
	 * each end) shares it rather than make and sort nine samples per step again.
	 */
	private final Map<String, StepStatusFamily> stepStatusFamilies = new ConcurrentHashMap<>();

	/**
	 * Creates a factory that adds the metrics of the given contributors to every snapshot.
	 * @param contributors the application's contributors, asked at every snapshot
	 */
	public JobMetricsSnapshotFactory(Supplier<? extends Collection<JobMetricsContributor>> contributors) {
		Assert.notNull(contributors, "'contributors' must not be null");
		this.contributors = contributors;
	}

	/**
	 * Builds the metrics of a job group.
	 * @param state the group's state, gathered just before the push
	 * @return the full state of the group
	 */
	public MetricSnapshots create(JobState state) {
		List<MetricSnapshot> metrics = new ArrayList<>();
		JobExecution shown = state.shownExecution();
		ExecutionSteps steps = (shown == null) ? null : (state.steps() != null) ? state.steps()
				: ExecutionSteps.of(shown, Map.of(), Instant.now(), state.schedule().stallTimeout());
		addJobMetrics(metrics, state);
		addEmptyRunMetric(metrics, state, steps);
		if (shown != null && steps != null) {
			addStepMetrics(metrics, steps, shown.getJobInstance().getJobName());
			addContributedMetrics(metrics, shown);
		}
		return new MetricSnapshots(metrics);
	}

	/**
	 * Tells the contributors that an ended execution has been taken into its group's history.
	 * @param execution the execution that ended
	 */
	public void executionEnded(JobExecution execution) {
		for (JobMetricsContributor contributor : this.contributors.get()) {
			try {
				contributor.executionEnded(execution);
			}
			catch (RuntimeException ex) {
				logger.warn("Metrics contributor " + contributor.getClass().getName() + " failed at the end of job '"
						+ execution.getJobInstance().getJobName() + "' (" + ex.getClass().getName() + ")");
				logger.debug("Metrics contributor failure", ex);
			}
		}
	}

	private void addJobMetrics(List<MetricSnapshot> metrics, JobState state) {
		JobExecution current = state.current();
		JobHistory history = state.history();
		JobHistory.FinishedRun finished = history.lastFinished();
		BatchStatus status;
		String exitCode;
		Instant start;
		if (current != null) {
			// Spring Batch sets a job's outcome before it calls the afterJob listeners, which may
			// still change it. Until the end is taken in, with its last success or failure, the
			// execution shows as running: a push never shows an outcome without its timestamp.
			// One left STOPPING with an end time has ended too (a stop request met its end).
			boolean inAfterJob = !JobHistory.FinishedRun.statusOf(current).isRunning();
			status = inAfterJob ? BatchStatus.STARTED : current.getStatus();
			exitCode = inAfterJob ? ExitStatus.UNKNOWN.getExitCode() : current.getExitStatus().getExitCode();
			start = (current.getStartTime() != null) ? instant(current.getStartTime()) : null;
		}
		else if (finished != null) {
			status = finished.status();
			exitCode = finished.exitCode();
			start = finished.start();
		}
		else {
			status = BatchStatus.UNKNOWN;
			exitCode = "UNKNOWN";
			start = null;
		}
		metrics.add(jobStatusFamily(status));
		metrics.add(gauge("batch_job_running", "Number of executions of the job running now.", state.running()));
		if (start != null) {
			metrics.add(gauge("batch_job_start_timestamp_seconds",
					"Start of the running or last shown execution, in seconds since the epoch.", seconds(start)));
		}
		if (finished != null) {
			metrics.add(gauge("batch_job_end_timestamp_seconds",
					"End of the last shown finished execution, in seconds since the epoch.", seconds(finished.end())));
			metrics.add(gauge("batch_job_duration_seconds", "Duration of the last shown finished execution.",
					seconds(finished.duration())));
		}
		if (history.lastSuccess() != null) {
			metrics.add(gauge("batch_job_last_success_timestamp_seconds",
					"End of the last COMPLETED execution, in seconds since the epoch.", seconds(history.lastSuccess())));
		}
		if (history.lastFailure() != null) {
			metrics.add(gauge("batch_job_last_failure_timestamp_seconds",
					"End of the last FAILED execution, in seconds since the epoch.", seconds(history.lastFailure())));
		}
		if (state.lastProgress() != null) {
			metrics.add(gauge("batch_job_last_progress_timestamp_seconds",
					"Last time an execution of the job made progress (a step started or ended, or a count moved), in seconds since the epoch.",
					seconds(state.lastProgress())));
		}
		metrics.add(exitFamily(exitCode));
		JobSchedule schedule = state.schedule();
		metrics.add(gauge("batch_job_progress_interval_seconds",
				"How often a running execution pushes its state (its heartbeat).", seconds(schedule.progressInterval())));
		if (schedule.expectedInterval() != null) {
			metrics.add(gauge("batch_job_expected_interval_seconds",
					"How often the job is expected to succeed, as configured.", seconds(schedule.expectedInterval())));
		}
		if (schedule.stallTimeout() != null) {
			metrics.add(gauge("batch_job_stall_timeout_seconds",
					"How long a running execution may make no progress before it counts as stalled, as configured.",
					seconds(schedule.stallTimeout())));
		}
		if (schedule.maxDuration() != null) {
			metrics.add(gauge("batch_job_max_duration_seconds", "How long an execution may run, as configured.",
					seconds(schedule.maxDuration())));
		}
		StartSchedule startSchedule = schedule.startSchedule();
		Instant nextStart = (startSchedule != null) ? startSchedule.nextStart(Instant.now()) : null;
		if (startSchedule != null && nextStart != null) {
			// From the time of this push: the group's last push carries the start that is due next,
			// and if none follows by the deadline, the run it names never happened.
			metrics.add(gauge("batch_job_next_expected_start_timestamp_seconds",
					"Next start of the job its schedule expects, as of this push, in seconds since the epoch.",
					seconds(nextStart)));
			metrics.add(gauge("batch_job_next_start_deadline_timestamp_seconds",
					"Latest start of that run before it counts as missed (the expected start plus the grace period), in seconds since the epoch.",
					seconds(nextStart.plus(startSchedule.gracePeriod()))));
		}
	}

	/**
	 * Computed here, not in a rule: the rule stays one comparison, and the flag is pushed again
	 * with the group's whole state (after a gateway lost it, or from another gateway) without
	 * Prometheus having to remember the run's counts or the configured minimum.
	 */
	private void addEmptyRunMetric(List<MetricSnapshot> metrics, JobState state, @Nullable ExecutionSteps steps) {
		ItemMinimum minimum = state.schedule().itemMinimum();
		if (minimum == null || !minimum.isChecked()) {
			return;
		}
		JobHistory.FinishedRun finished = state.history().lastFinished();
		// While a run is going on, the last run shown is that one: not finished, so not empty. A
		// finished run whose steps are not at hand (only its outcome was read back) is not judged.
		boolean empty = state.current() == null && finished != null && finished.completed() && steps != null
				&& minimum.isUnmetBy(steps.steps());
		metrics.add(gauge("batch_job_last_run_empty",
				"1 when the last finished execution COMPLETED having read and written fewer items than its configured minimum, 0 otherwise.",
				empty ? 1 : 0));
	}

	private void addStepMetrics(List<MetricSnapshot> metrics, ExecutionSteps shown, String jobName) {
		List<StepSample> steps = shown.steps();
		if (steps.isEmpty()) {
			return;
		}
		StepLabels[] labelsOfSteps = new StepLabels[steps.size()];
		BatchStatus[] statuses = new BatchStatus[steps.size()];
		for (int i = 0; i < labelsOfSteps.length; i++) {
			labelsOfSteps[i] = stepLabels(steps.get(i).name());
			statuses[i] = steps.get(i).status();
		}
		List<GaugeDataPointSnapshot> duration = new ArrayList<>(steps.size());
		List<CounterDataPointSnapshot> read = new ArrayList<>(steps.size());
		List<CounterDataPointSnapshot> written = new ArrayList<>(steps.size());
		List<CounterDataPointSnapshot> filtered = new ArrayList<>(steps.size());
		List<CounterDataPointSnapshot> skipped = new ArrayList<>(steps.size() * 3);
		List<CounterDataPointSnapshot> commits = new ArrayList<>(steps.size());
		List<CounterDataPointSnapshot> rollbacks = new ArrayList<>(steps.size());
		Instant now = Instant.now();
		for (int i = 0; i < labelsOfSteps.length; i++) {
			StepSample step = steps.get(i);
			StepLabels stepLabels = labelsOfSteps[i];
			Labels labels = stepLabels.step();
			LocalDateTime start = step.start();
			if (start != null) {
				Instant end = (step.end() != null) ? instant(step.end()) : now;
				duration.add(GaugeDataPointSnapshot.builder()
					.labels(labels)
					.value(seconds(Duration.between(instant(start), end)))
					.build());
			}
			read.add(counterPoint(labels, step.read()));
			written.add(counterPoint(labels, step.written()));
			filtered.add(counterPoint(labels, step.filtered()));
			skipped.add(counterPoint(stepLabels.readSkips(), step.readSkips()));
			skipped.add(counterPoint(stepLabels.processSkips(), step.processSkips()));
			skipped.add(counterPoint(stepLabels.writeSkips(), step.writeSkips()));
			commits.add(counterPoint(labels, step.commits()));
			rollbacks.add(counterPoint(labels, step.rollbacks()));
		}
		metrics.add(stepStatusFamily(jobName, labelsOfSteps, statuses));
		metrics.add(new GaugeSnapshot(metadata("batch_step_duration_seconds",
				"Duration of each step of the current or last execution, so far while it runs."), duration));
		metrics.add(new CounterSnapshot(metadata("batch_step_read_items",
				"Items read by each step of the current execution."), read));
		metrics.add(new CounterSnapshot(metadata("batch_step_written_items",
				"Items written by each step of the current execution."), written));
		metrics.add(new CounterSnapshot(metadata("batch_step_filtered_items",
				"Items filtered out by the processor of each step of the current execution."), filtered));
		metrics.add(new CounterSnapshot(metadata("batch_step_skipped_items",
				"Items skipped by each step of the current execution, by phase (read, process, write)."), skipped));
		metrics.add(new CounterSnapshot(metadata("batch_step_commits",
				"Transactions committed by each step of the current execution."), commits));
		metrics.add(new CounterSnapshot(metadata("batch_step_rollbacks",
				"Transactions rolled back by each step of the current execution."), rollbacks));
		addPartitionMetrics(metrics, shown.partitions());
	}

	/** Partitions are summed up per partition step, so the series stay bounded as the grid grows. */
	private void addPartitionMetrics(List<MetricSnapshot> metrics, List<ExecutionSteps.PartitionSummary> partitions) {
		if (partitions.isEmpty()) {
			return;
		}
		GaugeSnapshot.Builder byStatus = GaugeSnapshot.builder()
			.name("batch_step_partitions")
			.help("Partitions of each partition step of the current or last execution, by status.");
		GaugeSnapshot.Builder stalled = GaugeSnapshot.builder()
			.name("batch_step_partitions_stalled")
			.help("Running partitions of each partition step not saved for longer than the stall timeout.");
		GaugeSnapshot.Builder stalest = GaugeSnapshot.builder()
			.name("batch_step_stalest_partition_progress_timestamp_seconds")
			.help("Oldest last save among the running partitions of each partition step, in seconds since the epoch.");
		boolean anyStalled = false;
		boolean anyStalest = false;
		for (ExecutionSteps.PartitionSummary summary : partitions) {
			Labels labels = Labels.of("step", summary.step());
			summary.byStatus()
				.forEach((status, count) -> byStatus.dataPoint(GaugeDataPointSnapshot.builder()
					.labels(labels.add("status", status.name()))
					.value(count)
					.build()));
			if (summary.stalled() != null) {
				stalled.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(summary.stalled()).build());
				anyStalled = true;
			}
			if (summary.stalestProgress() != null) {
				stalest.dataPoint(GaugeDataPointSnapshot.builder()
					.labels(labels)
					.value(seconds(summary.stalestProgress()))
					.build());
				anyStalest = true;
			}
		}
		metrics.add(byStatus.build());
		if (anyStalled) {
			metrics.add(stalled.build());
		}
		if (anyStalest) {
			metrics.add(stalest.build());
		}
	}

	private void addContributedMetrics(List<MetricSnapshot> metrics, JobExecution execution) {
		String jobName = execution.getJobInstance().getJobName();
		for (JobMetricsContributor contributor : this.contributors.get()) {
			Collection<MetricSnapshot> contributed;
			try {
				contributed = contributor.contribute(execution);
			}
			catch (RuntimeException ex) {
				// Exception messages may quote application data: the class is enough at WARN.
				logger.warn("Metrics contributor " + contributor.getClass().getName() + " failed for job '" + jobName
						+ "' (" + ex.getClass().getName() + "); pushing without its metrics");
				logger.debug("Metrics contributor failure", ex);
				continue;
			}
			for (MetricSnapshot metric : contributed) {
				String name = metric.getMetadata().getPrometheusName();
				if (metrics.stream().anyMatch((existing) -> existing.getMetadata().getPrometheusName().equals(name))) {
					logger.warn("Metrics contributor " + contributor.getClass().getName() + " returned '" + name
							+ "', which is already in job '" + jobName + "''s group; ignoring it");
					continue;
				}
				metrics.add(metric);
			}
		}
	}

	/** The {@code batch_job_status} family showing the given status, made once per status. */
	private static GaugeSnapshot jobStatusFamily(BatchStatus status) {
		GaugeSnapshot family = JOB_STATUS_FAMILIES[status.ordinal()];
		if (family == null) {
			family = statusGauge("batch_job_status",
					"Status of the running or last shown execution: 1 for its status, 0 for the others.", JOB_STATUS,
					status);
			JOB_STATUS_FAMILIES[status.ordinal()] = family;
		}
		return family;
	}

	/** The {@code batch_job_exit} family of the exit code, kept for the first {@value #CACHED_EXIT_CODES}. */
	private InfoSnapshot exitFamily(String exitCode) {
		InfoSnapshot family = this.exitFamilies.get(exitCode);
		if (family == null) {
			family = new InfoSnapshot(metadata("batch_job_exit", "Exit code of the running or last shown execution."),
					List.of(InfoDataPointSnapshot.builder().labels(Labels.of("exit_code", exitCode)).build()));
			if (this.exitFamilies.size() < CACHED_EXIT_CODES) {
				this.exitFamilies.putIfAbsent(exitCode, family);
			}
		}
		return family;
	}

	/**
	 * The {@code batch_step_status} family of the given steps and statuses: the job's last one
	 * when it shows the same, else made and kept as the job's last (for the first
	 * {@value #CACHED_JOBS} jobs).
	 */
	private GaugeSnapshot stepStatusFamily(String jobName, StepLabels[] steps, BatchStatus[] statuses) {
		StepStatusFamily last = this.stepStatusFamilies.get(jobName);
		if (last != null && last.shows(steps, statuses)) {
			return last.family();
		}
		List<GaugeDataPointSnapshot> points = new ArrayList<>(steps.length * BatchStatus.values().length);
		for (int i = 0; i < steps.length; i++) {
			addStatusDataPoints(points, steps[i].byStatus(), statuses[i]);
		}
		GaugeSnapshot family = new GaugeSnapshot(metadata("batch_step_status",
				"Status of each step of the current or last execution: 1 for its status, 0 for the others."), points);
		if (last != null || this.stepStatusFamilies.size() < CACHED_JOBS) {
			this.stepStatusFamilies.put(jobName, new StepStatusFamily(steps, statuses, family));
		}
		return family;
	}

	/** The step's labels, kept for the first {@value #CACHED_STEPS} step names. */
	private StepLabels stepLabels(String step) {
		StepLabels labels = this.stepLabels.get(step);
		if (labels == null) {
			labels = StepLabels.of(step);
			if (this.stepLabels.size() < CACHED_STEPS) {
				this.stepLabels.putIfAbsent(step, labels);
			}
		}
		return labels;
	}

	/** Returns how many exit codes' families are kept, for tests. */
	int cachedExitCodes() {
		return this.exitFamilies.size();
	}

	/** Returns how many steps' labels are kept, for tests. */
	int cachedSteps() {
		return this.stepLabels.size();
	}

	private static GaugeSnapshot statusGauge(String name, String help, Labels[] byStatus, BatchStatus current) {
		List<GaugeDataPointSnapshot> points = new ArrayList<>(byStatus.length);
		addStatusDataPoints(points, byStatus, current);
		return new GaugeSnapshot(metadata(name, help), points);
	}

	private static void addStatusDataPoints(List<GaugeDataPointSnapshot> points, Labels[] byStatus,
			BatchStatus current) {
		for (BatchStatus status : BatchStatus.values()) {
			points.add(GaugeDataPointSnapshot.builder()
				.labels(byStatus[status.ordinal()])
				.value((status == current) ? 1 : 0)
				.build());
		}
	}

	/** The given labels plus each status, by {@link BatchStatus#ordinal()}. */
	private static Labels[] statusLabels(Labels labels) {
		BatchStatus[] statuses = BatchStatus.values();
		Labels[] byStatus = new Labels[statuses.length];
		for (BatchStatus status : statuses) {
			byStatus[status.ordinal()] = labels.add("status", status.name());
		}
		return byStatus;
	}

	private static GaugeSnapshot gauge(String name, String help, double value) {
		return new GaugeSnapshot(metadata(name, help), List.of(GaugeDataPointSnapshot.builder().value(value).build()));
	}

	/**
	 * A family's name and help, made at its first push. Only for the starter's own families,
	 * whose help is fixed with their name.
	 */
	static MetricMetadata metadata(String name, String help) {
		MetricMetadata metadata = METADATA.get(name);
		if (metadata == null) {
			metadata = METADATA.computeIfAbsent(name, (key) -> new MetricMetadata(key, help));
		}
		return metadata;
	}

	private static CounterDataPointSnapshot counterPoint(Labels labels, long value) {
		return CounterDataPointSnapshot.builder().labels(labels).value(value).build();
	}

	private static double seconds(LocalDateTime time) {
		return seconds(instant(time));
	}

	private static Instant instant(LocalDateTime time) {
		return BatchTimes.toInstant(time);
	}

	private static double seconds(@Nullable Instant instant) {
		Assert.notNull(instant, "'instant' must not be null");
		return instant.getEpochSecond() + instant.getNano() / 1e9;
	}

	private static double seconds(@Nullable Duration duration) {
		Assert.notNull(duration, "'duration' must not be null");
		return duration.toNanos() / 1e9;
	}

	/**
	 * A {@code batch_step_status} family and what it shows.
	 *
	 * @param steps each step's labels, in the family's order: kept ones, so a step is told by identity
	 * @param statuses each step's status
	 * @param family the family
	 */
	private record StepStatusFamily(StepLabels[] steps, BatchStatus[] statuses, GaugeSnapshot family) {

		/** Whether the family shows these steps in this order with these statuses. */
		boolean shows(StepLabels[] steps, BatchStatus[] statuses) {
			if (steps.length != this.steps.length) {
				return false;
			}
			for (int i = 0; i < steps.length; i++) {
				if (steps[i] != this.steps[i] || statuses[i] != this.statuses[i]) {
					return false;
				}
			}
			return true;
		}

	}

	/**
	 * The labels of one step's samples.
	 *
	 * @param step the step's own
	 * @param byStatus with each status, by {@link BatchStatus#ordinal()}
	 * @param readSkips with {@code phase="read"}
	 * @param processSkips with {@code phase="process"}
	 * @param writeSkips with {@code phase="write"}
	 */
	private record StepLabels(Labels step, Labels[] byStatus, Labels readSkips, Labels processSkips,
			Labels writeSkips) {

		static StepLabels of(String name) {
			Labels step = Labels.of("step", name);
			return new StepLabels(step, statusLabels(step), step.add("phase", "read"), step.add("phase", "process"),
					step.add("phase", "write"));
		}

	}

}
