package io.github.batchpushgateway.benchmark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.github.batchpushgateway.autoconfigure.BatchPushgatewayProperties;
import io.github.batchpushgateway.batch.JobEventRecorder;
import io.github.batchpushgateway.batch.PushPipeline;
import io.github.batchpushgateway.batch.StepReadsBenchmark;
import io.github.batchpushgateway.it.TestBatchApplication;
import io.github.batchpushgateway.metrics.JobHistory;
import io.github.batchpushgateway.metrics.JobState;
import io.github.batchpushgateway.metrics.JobMetricsSnapshotFactory;
import io.github.batchpushgateway.metrics.JobSchedule;
import io.github.batchpushgateway.micrometer.BatchMeters;
import io.github.batchpushgateway.push.PushClient;
import io.github.batchpushgateway.push.PushGroup;
import io.github.batchpushgateway.push.PushgatewayHttpClient;
import io.github.batchpushgateway.push.RefillChecks;
import io.github.batchpushgateway.testsupport.PushgatewayServer;
import io.github.batchpushgateway.testsupport.ScrapedMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Measures what the starter costs, against a real Pushgateway on loopback, and prints one table:
 * job-thread time per lifecycle event, push latency by format, the wait for the final push at a
 * job's end, whether the gateway's series stay bounded over many runs, and what checking a
 * gateway for a restart that emptied it costs. Run with
 * {@code ./scripts/benchmark}; it is a program, never a timed test, so its figures inform and
 * never fail a build.
 *
 * <p>Each figure comes from one JVM in one run: the job with the starter disabled and enabled (in
 * each format) runs interleaved, so warm-up, garbage collection and a busy machine weigh on all
 * of them alike. Medians are the figures to compare; maxima show the noise.
 */
public final class PushBenchmark {

	private static final String JOB = "twoStepJob";

	private static final long ITEMS = 40;

	/** The configurations of (a) and (c), in the order of their measurements. */
	private static final String[] CONFIGURATIONS = { "starter disabled", "starter, protobuf", "starter, text",
			"starter, pushes discarded" };

	/** Bytes allocated so far by the calling thread. */
	private static final LongSupplier threadAllocations = allocationCounter();

	private final int warmup;

	private final int runs;

	private final int events;

	private final int pushes;

	private final Table table = new Table();

	private int seriesAfterWarmup;

	private int runsAfterWarmup;

	/** (c) measured on the publisher directly. */
	private final Samples jobEnded = new Samples();

	/** Per configuration of (a): the time run() spent outside the job's recorded start and end. */
	private Samples[] outsideJob;

	private PushBenchmark(int warmup, int runs, int events, int pushes) {
		this.warmup = warmup;
		this.runs = runs;
		this.events = events;
		this.pushes = pushes;
	}

	/**
	 * Runs the benchmark and prints its table. System properties {@code benchmark.warmup},
	 * {@code benchmark.runs}, {@code benchmark.events} and {@code benchmark.pushes} change the
	 * sample sizes.
	 * @param args ignored
	 */
	public static void main(String[] args) throws Exception {
		quietLogging();
		new PushBenchmark(Integer.getInteger("benchmark.warmup", 15), Integer.getInteger("benchmark.runs", 60),
				Integer.getInteger("benchmark.events", 500), Integer.getInteger("benchmark.pushes", 300))
			.run();
	}

	private void run() throws Exception {
		long started = System.nanoTime();
		MetricSnapshots snapshot;
		try (PushgatewayServer gateway = PushgatewayServer.start();
				TestBatchApplication disabled = application(gateway, "batch.pushgateway.enabled=false");
				TestBatchApplication protobuf = application(gateway, "batch.pushgateway.format=protobuf");
				TestBatchApplication text = application(gateway, "batch.pushgateway.format=text");
				TestBatchApplication discarding = application(gateway,
						"spring.main.sources=" + DiscardedPushes.class.getName())) {
			this.table.title(String.format(Locale.ROOT,
					"batch-pushgateway benchmark: Java %s, %d cores, pushgateway %s on %s; %s: %d items, 2 steps",
					System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
					gatewayVersion(gateway), gateway.address(), JOB, ITEMS));
			jobWallTime(gateway, disabled, protobuf, text, discarding);
			JobExecution execution = protobuf.run(JOB, items());
			jobThreadTimePerEvent(protobuf, execution, discarding);
			pushLatency(protobuf, text, execution);
			snapshot = jobSnapshot(protobuf, execution);
			finalPushWait();
			seriesStayBounded(gateway, protobuf);
			meterRecording(protobuf, execution);
		}
		stepReads();
		gatewayRefill(snapshot);
		this.table.note(String.format(Locale.ROOT, "total benchmark time: %.1f s",
				(System.nanoTime() - started) / 1e9));
		System.out.println(this.table);
	}

	/** (a) The job as its caller sees it, with the starter disabled and enabled, interleaved. */
	private void jobWallTime(PushgatewayServer gateway, TestBatchApplication disabled, TestBatchApplication protobuf,
			TestBatchApplication text, TestBatchApplication discarding) {
		TestBatchApplication[] applications = { disabled, protobuf, text, discarding };
		for (int i = 0; i < this.warmup; i++) {
			for (TestBatchApplication application : applications) {
				application.run(JOB, items());
			}
		}
		this.seriesAfterWarmup = jobSeries(gateway, JOB);
		this.runsAfterWarmup = 2 * this.warmup;
		Samples[] called = samples(applications.length);
		Samples[] recorded = samples(applications.length);
		Samples[] outside = samples(applications.length);
		for (int i = 0; i < this.runs; i++) {
			for (int k = 0; k < applications.length; k++) {
				// Rotate the order, so that no configuration always runs first.
				int index = (i + k) % applications.length;
				long start = System.nanoTime();
				JobExecution execution = applications[index].run(JOB, items());
				long call = System.nanoTime() - start;
				long job = Duration.between(execution.getStartTime(), execution.getEndTime()).toNanos();
				called[index].add(call);
				recorded[index].add(job);
				outside[index].add(call - job);
				check(execution.getStatus() == BatchStatus.COMPLETED, "run ended " + execution.getStatus());
			}
		}
		this.table.section("(a) job wall time, interleaved runs (n=" + this.runs + " each)", "ms",
				"vs disabled (median)");
		String[] names = CONFIGURATIONS;
		for (int k = 0; k < names.length; k++) {
			this.table.row(names[k] + ": run() call", called[k], Table.MS, ratio(called[k], called[0], Table.MS));
		}
		for (int k = 0; k < names.length; k++) {
			this.table.row(names[k] + ": end - start", recorded[k], Table.MS, ratio(recorded[k], recorded[0], Table.MS));
		}
		this.outsideJob = outside;
		this.table.note("run() includes the wait for the final push (c); end - start is set by Spring Batch before"
				+ " afterJob, so it holds the job-start and step-end publishing only");
		this.table.note("pushes discarded: the starter with a PushClient that sends nothing, which leaves its own"
				+ " work on the job thread and takes away the concurrent sending and the gateway's CPU");
	}

	/**
	 * (a) Time each publishing call costs the job's thread, and what it allocates there. Each
	 * measured call follows {@link #SETTLE} of work on the job's thread, as a job's start follows
	 * Spring Batch's repository work: on this kind of machine a thread that has just woken (from
	 * its wait for the last run's final push, from a sleep) takes tens of microseconds for any
	 * first operation, which says nothing of the starter. A reference operation, measured the same
	 * way in the same loop, shows what the machine itself adds.
	 */
	private void jobThreadTimePerEvent(TestBatchApplication application, JobExecution execution,
			TestBatchApplication discarding) {
		JobEventRecorder publisher = application.bean(PushPipeline.class).recorder();
		List<StepExecution> steps = new ArrayList<>(execution.getStepExecutions());
		EventTimes pushed = eventTimes(publisher, execution, this.jobEnded);
		JobExecution discardedExecution = discarding.run(JOB, items());
		EventTimes discarded = eventTimes(discarding.bean(PushPipeline.class).recorder(), discardedExecution,
				new Samples());
		Samples reference = pushed.reference();
		Samples started = pushed.started();
		Samples stepEnded = pushed.stepEnded();
		Samples quietReference = new Samples();
		Samples quietStart = quietStarts(publisher, execution, steps, quietReference);
		this.table.section("(a) job-thread time per lifecycle event, JobEventRecorder (n=" + this.events + ")", "us",
				"allocated on the job thread (median)");
		this.table.row("reference: put and clear, synchronized IdentityHashMap", reference, Table.US, "");
		this.table.row("jobStarted (beforeJob), runs in a row", started, Table.US,
				Table.BYTES.format(pushed.startedBytes().median()));
		this.table.row("stepEnded (afterStep)", stepEnded, Table.US,
				Table.BYTES.format(pushed.stepEndedBytes().median()));
		this.table.row("reference, pushes discarded", discarded.reference(), Table.US, "");
		this.table.row("jobStarted, runs in a row, pushes discarded", discarded.started(), Table.US,
				Table.BYTES.format(discarded.startedBytes().median()));
		this.table.row("stepEnded, pushes discarded", discarded.stepEnded(), Table.US,
				Table.BYTES.format(discarded.stepEndedBytes().median()));
		this.table.row("reference, after " + QUIET.toMillis() + " ms asleep (n=" + quietReference.size() + ")",
				quietReference, Table.US, "");
		this.table.row("jobStarted, group quiet for " + QUIET.toMillis() + " ms (n=" + quietStart.size() + ")",
				quietStart, Table.US, "");
		this.table.note("each call follows " + SETTLE.toNanos() / 1000 + " us of work on the job thread, as beforeJob"
				+ " follows Spring Batch's repository work; the reference rows show what the machine adds to any call");
		this.table.note("runs in a row start within min-push-interval (100 ms) of the last push, which holds their"
				+ " start for the next push; after a quiet time the start wakes the sender's thread");
		this.table.note("pushes discarded: the same calls where the last job end's push sent nothing, so that no"
				+ " HTTP client thread still runs beside the job's; the starter's own path on the job thread");
		summaryRow("job-thread time per lifecycle event, jobStarted, median / p99", started);
		summaryRow("job-thread time per lifecycle event, jobStarted after a quiet time, median / p99", quietStart);
		summaryRow("job-thread time per lifecycle event, stepEnded, median / p99", stepEnded);
		summaryRow("job-thread time per lifecycle event, jobStarted, pushes discarded, median / p99", discarded.started());
		summaryRow("reference: a synchronized map put on the same thread, same conditions, median / p99", reference);
	}

	/**
	 * Times jobStarted and stepEnded on this thread, each after {@link #SETTLE} of work, next to
	 * the reference operation, in cycles that end with the job's end and its wait.
	 * @param ended where the time of each job end (offer and delivery) goes
	 */
	private EventTimes eventTimes(JobEventRecorder publisher, JobExecution execution, Samples ended) {
		List<StepExecution> steps = new ArrayList<>(execution.getStepExecutions());
		EventTimes times = new EventTimes(new Samples(), new Samples(), new Samples(), new Samples(), new Samples());
		for (int i = -this.warmup * 10; i < this.events; i++) {
			settle();
			long referenceTime = referenceOperation();
			settle();
			long bytes = allocatedBytes();
			long start = System.nanoTime();
			publisher.jobStarted(execution);
			long afterStart = System.nanoTime();
			long afterStartBytes = allocatedBytes();
			settle();
			long beforeStep = System.nanoTime();
			publisher.stepEnded(steps.get(i & 1));
			long afterStep = System.nanoTime();
			long afterStepBytes = allocatedBytes();
			boolean delivered = publisher.jobEnded(execution);
			long afterEnd = System.nanoTime();
			check(delivered, "final push not delivered");
			if (i >= 0) {
				times.reference().add(referenceTime);
				times.started().add(afterStart - start);
				times.stepEnded().add(afterStep - beforeStep);
				ended.add(afterEnd - afterStep);
				times.startedBytes().add(afterStartBytes - bytes);
				times.stepEndedBytes().add(afterStepBytes - afterStartBytes);
			}
		}
		return times;
	}

	/** What {@link #eventTimes} measured. */
	private record EventTimes(Samples reference, Samples started, Samples stepEnded, Samples startedBytes,
			Samples stepEndedBytes) {
	}

	/** How long the group stays quiet before each start of {@link #quietStarts}: past min-push-interval. */
	private static final Duration QUIET = Duration.ofMillis(150);

	/** Work on the job's thread before each measured call. */
	private static final Duration SETTLE = Duration.ofNanos(200_000);

	private final Map<Object, Object> referenceMap = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

	/** Spins for {@link #SETTLE}, as the job's thread works before a lifecycle event. */
	private static void settle() {
		long end = System.nanoTime() + SETTLE.toNanos();
		while (System.nanoTime() < end) {
			Thread.onSpinWait();
		}
	}

	/** Times a small operation of the kind the recorder does: a synchronized map put, with allocation. */
	private long referenceOperation() {
		long start = System.nanoTime();
		this.referenceMap.put(new Object(), new ArrayList<>(List.of(1, 2, 3)));
		this.referenceMap.clear();
		return System.nanoTime() - start;
	}

	/** jobStarted of a group whose last push is older than min-push-interval: it pushes at once. */
	private Samples quietStarts(JobEventRecorder publisher, JobExecution execution, List<StepExecution> steps,
			Samples reference) {
		Samples started = new Samples();
		for (int i = -5; i < Math.max(20, this.events / 10); i++) {
			java.util.concurrent.locks.LockSupport.parkNanos(QUIET.toNanos());
			settle();
			long referenceTime = referenceOperation();
			settle();
			long start = System.nanoTime();
			publisher.jobStarted(execution);
			long took = System.nanoTime() - start;
			publisher.stepEnded(steps.get(0));
			check(publisher.jobEnded(execution), "final push not delivered");
			if (i >= 0) {
				started.add(took);
				reference.add(referenceTime);
			}
		}
		return started;
	}

	/** A row of the one summary table that scripts/benchmark prints last, when it asks for one. */
	private static void summaryRow(String figure, Samples samples) {
		String file = System.getProperty("benchmark.rowsFile");
		if (file == null) {
			return;
		}
		String row = String.format(Locale.ROOT, "%s | %s / %s | <= 20 us p99%n", figure, Table.US.format(samples.median()),
				Table.US.format(samples.percentile(99)));
		try {
			java.nio.file.Files.writeString(java.nio.file.Path.of(file), row, java.nio.file.StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	/**
	 * (e) What recording a meter through {@link BatchMeters} costs the job's thread, against the
	 * same meter in a plain {@link SimpleMeterRegistry}: the lookup of the execution's registry
	 * through the step context comes on top of Micrometer's own meter lookup.
	 */
	private void meterRecording(TestBatchApplication application, JobExecution execution) {
		BatchMeters meters = application.bean(BatchMeters.class);
		JobEventRecorder recorder = application.bean(PushPipeline.class).recorder();
		SimpleMeterRegistry simple = new SimpleMeterRegistry();
		int batch = 1000;
		Samples viaBatchMeters = new Samples();
		Samples viaSimple = new Samples();
		Samples heldBatchMeters = new Samples();
		Samples heldSimple = new Samples();
		recorder.jobStarted(execution);
		StepSynchronizationManager.register(execution.getStepExecutions().iterator().next());
		try {
			Counter held = meters.registry().counter("records.held");
			Counter heldPlain = simple.counter("records.held");
			for (int i = -this.warmup * 20; i < this.events; i++) {
				long start = System.nanoTime();
				for (int k = 0; k < batch; k++) {
					meters.registry().counter("records.exported").increment();
				}
				long afterMeters = System.nanoTime();
				for (int k = 0; k < batch; k++) {
					simple.counter("records.exported").increment();
				}
				long afterSimple = System.nanoTime();
				for (int k = 0; k < batch; k++) {
					held.increment();
				}
				long afterHeld = System.nanoTime();
				for (int k = 0; k < batch; k++) {
					heldPlain.increment();
				}
				long afterHeldPlain = System.nanoTime();
				if (i >= 0) {
					viaBatchMeters.add(afterMeters - start);
					viaSimple.add(afterSimple - afterMeters);
					heldBatchMeters.add(afterHeld - afterSimple);
					heldSimple.add(afterHeldPlain - afterHeld);
				}
			}
			check(meters.registry().get("records.exported").counter().count() > 0, "counter did not count");
		}
		finally {
			StepSynchronizationManager.release();
			recorder.jobEnded(execution);
		}
		this.table.section("(e) job-thread time per counter increment (n=" + this.events + " batches of " + batch + ")",
				"ns", "vs SimpleMeterRegistry (median)");
		this.table.row("batchMeters.registry().counter(name).increment()", viaBatchMeters, Table.NS_PER_1000,
				ratio(viaBatchMeters, viaSimple, Table.NS_PER_1000));
		this.table.row("simpleMeterRegistry.counter(name).increment()", viaSimple, Table.NS_PER_1000, "");
		this.table.row("held counter from batchMeters.registry()", heldBatchMeters, Table.NS_PER_1000,
				ratio(heldBatchMeters, heldSimple, Table.NS_PER_1000));
		this.table.row("held counter from SimpleMeterRegistry", heldSimple, Table.NS_PER_1000, "");
		this.table.note("the per-execution registry is a PrometheusMeterRegistry; it is found through Spring Batch's"
				+ " step context, then Micrometer looks the meter up as in any registry");
	}

	/**
	 * (f) What building one push's state costs on the sending side by the steps it reads from a
	 * JDBC job repository: nothing more for a job without partitions run elsewhere, one statement
	 * per push for one whose partitions run in other JVMs.
	 */
	private void stepReads() throws Exception {
		int partitions = Integer.getInteger("benchmark.partitions", 100);
		int pushes = Math.min(this.pushes, 100);
		this.table.section("(f) sending side: one push's state, by the steps it reads (H2 job repository, n=" + pushes
				+ ")", "ms", "statements per push");
		for (StepReadsBenchmark.Result result : StepReadsBenchmark.measure(pushes, partitions)) {
			Samples samples = new Samples();
			for (long nanos : result.nanos()) {
				samples.add(nanos);
			}
			this.table.row(result.name(), samples, Table.MS,
					String.format(Locale.ROOT, "%.1f", result.statementsPerPush()));
		}
		this.table.note("the sending side builds each push's state on its own thread, never the job's; partitions"
				+ " are read only while one of them runs, and the history and other JVMs' runs once per progress"
				+ " interval (not in these rows)");
	}

	/** (c) How long a job's end waits for its final push to reach the gateway. */
	private void finalPushWait() {
		this.table.section("(c) wait at job end for the final push (afterJob)", "ms", "vs disabled (median)");
		this.table.row("jobEnded: offer + delivery, protobuf (n=" + this.events + ")", this.jobEnded, Table.MS, "");
		for (int k = 0; k < CONFIGURATIONS.length; k++) {
			this.table.row(CONFIGURATIONS[k] + ": run() - (end - start)", this.outsideJob[k], Table.MS,
					ratio(this.outsideJob[k], this.outsideJob[0], Table.MS));
		}
		this.table.note("run() - (end - start), from the runs of (a): launching, the repository's bookkeeping, and"
				+ " with the starter the afterJob wait for the final push");
	}

	/** (b) One push of a realistic snapshot, by format, on the calling thread. */
	private void pushLatency(TestBatchApplication protobuf, TestBatchApplication text, JobExecution execution)
			throws IOException {
		MetricSnapshots snapshot = jobSnapshot(protobuf, execution);
		// A group of its own, so that the series count of the job's group in (d) is not changed.
		PushGroup group = new PushGroup("pushBenchmark", Map.of("format", "both"));
		PushClient[] clients = { client(text), client(protobuf) };
		Samples[] latency = { new Samples(), new Samples() };
		Samples[] bytes = { new Samples(), new Samples() };
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long cpuBefore = 0;
		long startedBefore = 0;
		for (int i = -this.warmup * 3; i < this.pushes; i++) {
			if (i == 0) {
				cpuBefore = javaThreadsCpuTime(threads);
				startedBefore = threads.getTotalStartedThreadCount();
			}
			for (int k = 0; k < clients.length; k++) {
				int index = (i + k) & 1;
				long allocated = allocatedBytes();
				long start = System.nanoTime();
				clients[index].push(group, snapshot);
				long elapsed = System.nanoTime() - start;
				if (i >= 0) {
					latency[index].add(elapsed);
					bytes[index].add(allocatedBytes() - allocated);
				}
			}
		}
		ExpositionFormats formats = ExpositionFormats.init();
		long textSize = size(formats.getPrometheusTextFormatWriter(), snapshot);
		long protobufSize = size(formats.getPrometheusProtobufWriter(), snapshot);
		this.table.section("(b) push latency on loopback, PushClient.push of one job's snapshot (" + samples(snapshot)
				+ " samples, n=" + this.pushes + " each)", "ms", "payload; allocated per push (median); vs text");
		this.table.row("text", latency[0], Table.MS,
				textSize + " B; " + Table.BYTES.format(bytes[0].median()));
		this.table.row("protobuf", latency[1], Table.MS, protobufSize + " B; " + Table.BYTES.format(bytes[1].median())
				+ "; " + ratio(latency[1], latency[0], Table.MS));
		// CPU time and thread starts count what the HTTP client does on threads of its own, which
		// a loaded machine turns into scheduling delays, and vary far less with the load than times.
		int measured = 2 * this.pushes;
		this.table.note(String.format(Locale.ROOT,
				"per push, all of this JVM's Java threads (the HTTP client's too): %.0f us of CPU, %.2f threads started",
				(javaThreadsCpuTime(threads) - cpuBefore) / 1e3 / measured,
				(threads.getTotalStartedThreadCount() - startedBefore) / (double) measured));
	}

	/** CPU time of the live Java threads (the JIT's and the GC's are not among them). */
	private static long javaThreadsCpuTime(ThreadMXBean threads) {
		long total = 0;
		for (long id : threads.getAllThreadIds()) {
			total += Math.max(0, threads.getThreadCpuTime(id));
		}
		return total;
	}

	/**
	 * (g) What the refill check costs a long-running application, by the groups the gateway holds:
	 * each check reads only the gateway's start; its groups are read once per restart. Each size
	 * on a gateway of its own, so that (d) counts only its own series.
	 */
	private void gatewayRefill(MetricSnapshots snapshot) throws IOException {
		int checks = Math.max(1, this.pushes / 3);
		this.table.section("(g) refill check of an idle application's groups, by groups on the gateway (n=" + checks
				+ " each)", "ms", "bytes read");
		for (int size : new int[] { 1, 100, 500 }) {
			try (PushgatewayServer gateway = PushgatewayServer.start()) {
				PushClient client = PushgatewayHttpClient.builder(URI.create(gateway.url())).build();
				List<PushGroup> pushed = new ArrayList<>();
				for (int i = 0; i < size; i++) {
					PushGroup group = new PushGroup("refillBenchmark", Map.of("n", String.valueOf(i)));
					client.push(group, snapshot);
					pushed.add(group);
				}
				List<PushGroup> refilled = new ArrayList<>();
				Runnable refill = RefillChecks.of(client, pushed, refilled::add);
				// The first check reads the groups; the gateway holds them all.
				refill.run();
				check(refilled.isEmpty(), "refilled " + refilled + " although the gateway holds them");
				Samples each = new Samples();
				Samples once = new Samples();
				for (int i = -this.warmup; i < checks; i++) {
					long start = System.nanoTime();
					refill.run();
					long checked = System.nanoTime();
					int held = client.heldGroups().size();
					long read = System.nanoTime();
					check(held == size, "gateway holds " + held + " groups, not " + size);
					if (i >= 0) {
						each.add(checked - start);
						once.add(read - checked);
					}
				}
				this.table.row(size + " groups: each check (the gateway's start)", each, Table.MS,
						Table.BYTES.format(gateway.getJson("/api/v1/status").length()));
				this.table.row(size + " groups: once per restart (its groups)", once, Table.MS,
						Table.BYTES.format(gateway.scrapeText().length()));
			}
		}
		this.table.note("one check per gateway every refill-check-interval (1 min), on the gateway's sender thread;"
				+ " the groups are read, and the lost ones pushed, only after the gateway's start changed");
	}

	/** A realistic snapshot of one job's group: the job's last run, with its schedule. */
	private static MetricSnapshots jobSnapshot(TestBatchApplication application, JobExecution execution) {
		return application.bean(JobMetricsSnapshotFactory.class)
			.create(new JobState(0, null, JobHistory.EMPTY.with(JobHistory.FinishedRun.of(execution)), null,
					new JobSchedule(Duration.ofSeconds(10), Duration.ofDays(1))));
	}

	/** (d) The gateway's series and memory after many runs, and what the starter keeps. */
	private void seriesStayBounded(PushgatewayServer gateway, TestBatchApplication application) {
		int totalRuns = 2 * (this.warmup + this.runs) + 1;
		int seriesAtEnd = jobSeries(gateway, JOB);
		Map<String, Integer> variantSeries = new LinkedHashMap<>();
		double heapBefore = gatewayMetric(gateway, "go_memstats_heap_inuse_bytes");
		for (int i = 1; i <= 50; i++) {
			JobExecution execution = application.run("variantJob",
					new JobParametersBuilder().addLong("variant", (long) i).toJobParameters());
			check(execution.getStatus() == BatchStatus.COMPLETED, "variantJob ended " + execution.getStatus());
			if (i == 1 || i == 10 || i == 50) {
				variantSeries.put("after " + i, jobSeries(gateway, "variantJob"));
			}
		}
		double heapAfter = gatewayMetric(gateway, "go_memstats_heap_inuse_bytes");
		PushPipeline pipeline = application.bean(PushPipeline.class);
		this.table.section("(d) memory: series in the gateway, state in the starter", "", "");
		this.table.text(String.format(Locale.ROOT, "%s series: %d after %d runs, %d after %d runs and %d event cycles (%s)",
				JOB, this.seriesAfterWarmup, this.runsAfterWarmup, seriesAtEnd, totalRuns, this.events + this.warmup * 10,
				(this.seriesAfterWarmup == seriesAtEnd) ? "constant" : "GREW"));
		this.table.text("variantJob series (other step and exit code each run): " + variantSeries);
		this.table.text("gateway groups: " + gateway.groupLabels());
		this.table.text(String.format(Locale.ROOT,
				"gateway heap in use: %s before the 50 variantJob runs, %s after (resident: %s)",
				Table.BYTES.format((long) heapBefore), Table.BYTES.format((long) heapAfter),
				Table.BYTES.format((long) gatewayMetric(gateway, "process_resident_memory_bytes"))));
		this.table.text("starter after all runs: " + pipeline.sender().undeliveredGroups().size()
				+ " undelivered groups");
	}

	private static TestBatchApplication application(PushgatewayServer gateway, String... properties) {
		List<String> all = new ArrayList<>(List.of("logging.level.root=WARN", "spring.main.log-startup-info=false",
				"batch.pushgateway.progress-interval=10s", "batch.pushgateway.flush-timeout=10s"));
		all.addAll(Arrays.asList(properties));
		return TestBatchApplication.start(gateway.address(), all.toArray(String[]::new));
	}

	/** A client as the application's own target: its gateway, in its format. */
	private static PushClient client(TestBatchApplication application) {
		BatchPushgatewayProperties properties = application.bean(BatchPushgatewayProperties.class);
		return PushgatewayHttpClient.builder(URI.create("http://" + properties.gatewayAddresses().get(0)))
			.format((properties.getFormat() == BatchPushgatewayProperties.Format.TEXT) ? PushgatewayHttpClient.Format.TEXT
					: PushgatewayHttpClient.Format.PROTOBUF)
			.build();
	}

	private static Samples[] samples(int count) {
		Samples[] samples = new Samples[count];
		Arrays.setAll(samples, (index) -> new Samples());
		return samples;
	}

	private static JobParameters items() {
		return new JobParametersBuilder().addLong("items", ITEMS).toJobParameters();
	}

	private static int jobSeries(PushgatewayServer gateway, String job) {
		return (int) gateway.metrics().samples().stream().filter((sample) -> job.equals(sample.labels().get("job"))).count();
	}

	private static double gatewayMetric(PushgatewayServer gateway, String name) {
		return gateway.metrics().value(name, Map.of()).orElse(Double.NaN);
	}

	private static String gatewayVersion(PushgatewayServer gateway) {
		List<ScrapedMetrics.Sample> info = gateway.metrics().samples("pushgateway_build_info");
		return info.isEmpty() ? "?" : info.get(0).labels().getOrDefault("version", "?");
	}

	private static long size(ExpositionFormatWriter writer, MetricSnapshots snapshot) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		writer.write(out, snapshot);
		return out.size();
	}

	private static int samples(MetricSnapshots snapshot) {
		return snapshot.stream().mapToInt((metric) -> metric.getDataPoints().size()).sum();
	}

	private static String ratio(Samples measured, Samples reference, Table.Unit unit) {
		if (measured == reference) {
			return "1.00x";
		}
		long difference = measured.median() - reference.median();
		return String.format(Locale.ROOT, "%.2fx (%s%s)", (double) measured.median() / reference.median(),
				(difference >= 0) ? "+" : "-", unit.format(Math.abs(difference)));
	}

	private static long allocatedBytes() {
		return threadAllocations.getAsLong();
	}

	private static LongSupplier allocationCounter() {
		if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
				&& threads.isThreadAllocatedMemorySupported()) {
			threads.setThreadAllocatedMemoryEnabled(true);
			return threads::getCurrentThreadAllocatedBytes;
		}
		return () -> 0;
	}

	private static void check(boolean condition, String message) {
		if (!condition) {
			throw new IllegalStateException("Benchmark invalid: " + message);
		}
	}

	private static void quietLogging() {
		// Before the first application starts Boot's logging, Logback logs everything at DEBUG.
		((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
	}

	/** A push client that sends nothing: the starter's own work without the network and gateway. */
	@Configuration(proxyBeanMethods = false)
	static class DiscardedPushes {

		@Bean
		PushClient discardingPushClient() {
			return (group, metrics) -> {
			};
		}

	}

	/** Durations or sizes of one measurement. */
	static final class Samples {

		private long[] values = new long[64];

		private int size;

		void add(long value) {
			if (this.size == this.values.length) {
				this.values = Arrays.copyOf(this.values, this.size * 2);
			}
			this.values[this.size++] = value;
		}

		long median() {
			return percentile(50);
		}

		long percentile(int percent) {
			long[] sorted = Arrays.copyOf(this.values, this.size);
			Arrays.sort(sorted);
			int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
			return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
		}

		long max() {
			return percentile(100);
		}

		int size() {
			return this.size;
		}

	}

	/** The printed report: sections of aligned rows. */
	static final class Table {

		static final Unit MS = (nanos) -> String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);

		static final Unit NS_PER_1000 = (nanos) -> String.format(Locale.ROOT, "%.1f ns", nanos / 1000.0);

		static final Unit US = (nanos) -> String.format(Locale.ROOT, "%.1f us", nanos / 1e3);

		static final Unit BYTES = (bytes) -> (bytes >= 1 << 20) ? String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0)
				: (bytes >= 1 << 10) ? String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0) : bytes + " B";

		private final StringBuilder out = new StringBuilder();

		void title(String title) {
			this.out.append(title).append('\n');
		}

		void section(String title, String unit, String extra) {
			this.out.append('\n').append(title).append('\n');
			if (!unit.isEmpty()) {
				this.out.append(String.format(Locale.ROOT, "  %-50s %12s %12s %12s %12s   %s%n", "", "median", "p90",
						"p99", "max", extra));
			}
		}

		void row(String name, Samples samples, Unit unit, String extra) {
			this.out.append(String.format(Locale.ROOT, "  %-50s %12s %12s %12s %12s   %s%n", name,
					unit.format(samples.median()), unit.format(samples.percentile(90)),
					unit.format(samples.percentile(99)), unit.format(samples.max()), extra));
		}

		void text(String line) {
			this.out.append("  ").append(line).append('\n');
		}

		void note(String line) {
			this.out.append("  note: ").append(line).append('\n');
		}

		@Override
		public String toString() {
			return this.out.toString();
		}

		@FunctionalInterface
		interface Unit {

			String format(long value);

		}

	}

}
