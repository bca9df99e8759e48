package io.github.batchpushgateway.benchmark.lifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.batchpushgateway.testsupport.PushgatewayServer;

/**
 * The process-level rows of issue 7's targets, measured black-box: this jar started as a batch
 * application with the starter enabled and with {@code batch.pushgateway.enabled=false}, in
 * alternating young JVMs (ABBA order: on-off, off-on, ...), pushing to a real
 * {@code prometheus-pushgateway} on a free loopback port. Prints one table, figure | value |
 * target. A program, never a test: nothing fails when a figure misses its target.
 *
 * <p>Rows (arguments select them; all by default): {@code chunk100k}, {@code chunk1m},
 * {@code fourstep}, {@code cold}, {@code many}. Sample sizes are system properties, see
 * {@link #main(String[])}.
 */
public final class LifecycleBenchmark {

	private static final String ALL_ROWS = "chunk100k,chunk1m,fourstep,cold,many";

	private final Path jar;

	private final Path work;

	private final List<String> javaCommand;

	private final int runsPerJvm = Integer.getInteger("benchmark.runsPerJvm", 6);

	private final int dropped = Integer.getInteger("benchmark.dropped", 2);

	private final List<Row> table = new ArrayList<>();

	private final List<String> notes = new ArrayList<>();

	private PushgatewayServer gateway;

	private volatile Process child;

	private LifecycleBenchmark(Path jar, Path work) {
		this.jar = jar;
		this.work = work;
		this.javaCommand = new ArrayList<>();
		this.javaCommand.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		String jvmOptions = System.getProperty("benchmark.jvmOpts", "").trim();
		if (!jvmOptions.isEmpty()) {
			this.javaCommand.addAll(Arrays.asList(jvmOptions.split("\\s+")));
		}
	}

	/**
	 * Runs the selected rows and prints the table. System properties:
	 * <ul>
	 * <li>{@code benchmark.seconds} [480]: the time budget of the whole run, shared among the
	 * rows (chunk100k 18%, chunk1m 18%, fourstep 14%, cold 14%, many 20% + its off reference,
	 * grouping case 10%). A row starts no new JVM pair once its share is spent, but runs at
	 * least its minimum: on a busy machine the run takes longer, on a quiet one it measures
	 * more pairs.</li>
	 * <li>{@code benchmark.<row>.seconds}, {@code .minPairs}, {@code .maxPairs} for
	 * chunk100k [3..20], chunk1m [2..12], fourstep [3..20], cold [3..30]; or
	 * {@code benchmark.<row>.pairs} for a fixed number of JVM pairs.</li>
	 * <li>{@code benchmark.runsPerJvm} [6] and {@code benchmark.dropped} [2].</li>
	 * <li>{@code benchmark.fourstep.warmupRuns} [50] and {@code benchmark.fourstep.warmRuns}
	 * [50]: further runs of the four-step job in each of its JVMs, the second ones timed for the
	 * warm figure; {@code benchmark.fourstep.steadyWarmupRuns} [1000]: runs of the pushed job and
	 * of its excluded copy in turn in one JVM per pair, after the same runs as above, before
	 * {@code warmRuns} pairs of them are timed for the one-JVM figures (0 for none);
	 * {@code benchmark.roundTrips} [25]: loopback pushes timed after each of its pairs.</li>
	 * <li>{@code benchmark.many.runs} [10000], {@code benchmark.many.checkpoints}
	 * [100,1000,5000,10000], {@code benchmark.many.seconds} and
	 * {@code benchmark.grouping.seconds} (time budgets of the on and the grouping-parameters
	 * JVMs).</li>
	 * <li>{@code benchmark.jvmOpts}: options for every application JVM.</li>
	 * <li>{@code benchmark.cold.baseline}: another build of this jar (another tree's), run with
	 * the starter on in each pair of the cold row, for a before/after in one run.</li>
	 * </ul>
	 * @param args rows to run, separated by spaces or commas; all when empty
	 * @throws Exception when a run fails
	 */
	public static void main(String[] args) throws Exception {
		Set<String> rows = new LinkedHashSet<>();
		String selection = (args.length == 0) ? ALL_ROWS : String.join(",", args);
		for (String row : selection.split("[,\\s]+")) {
			if (!row.isEmpty()) {
				if (!Arrays.asList(ALL_ROWS.split(",")).contains(row)) {
					throw new IllegalArgumentException("Unknown row '" + row + "': choose from " + ALL_ROWS);
				}
				rows.add(row);
			}
		}
		// java -jar puts the executable jar, and only it, on the class path.
		Path jar = Path.of(System.getProperty("benchmark.jar", System.getProperty("java.class.path")));
		if (!Files.isRegularFile(jar) || !jar.toString().endsWith(".jar")) {
			throw new IllegalStateException("Run the driver as java -jar batch-pushgateway-benchmark-*.jar lifecycle,"
					+ " or name the executable jar with -Dbenchmark.jar");
		}
		Path work = Files.createTempDirectory("benchmark-lifecycle");
		LifecycleBenchmark benchmark = new LifecycleBenchmark(jar, work);
		Thread cleanup = new Thread(benchmark::stopEverything, "benchmark-cleanup");
		Runtime.getRuntime().addShutdownHook(cleanup);
		benchmark.run(rows);
	}

	private void run(Set<String> rows) throws Exception {
		long started = System.nanoTime();
		String loadAtStart = loadAverage();
		this.gateway = PushgatewayServer.start();
		String gatewayVersion = gatewayVersion();
		try {
			if (rows.contains("chunk100k")) {
				chunkRow("100,000-item chunk job", 100_000, Pairs.of("chunk100k", 0.18, 3, 20), "<= 1.01");
			}
			if (rows.contains("chunk1m")) {
				chunkRow("1,000,000-item chunk job", 1_000_000, Pairs.of("chunk1m", 0.18, 2, 12),
						"stays <= 1.01");
			}
			if (rows.contains("fourstep")) {
				fourStepRow(Pairs.of("fourstep", 0.14, 3, 20));
			}
			if (rows.contains("cold")) {
				coldRow(Pairs.of("cold", 0.14, 3, 30));
			}
			if (rows.contains("many")) {
				manyRunsRows();
			}
		}
		finally {
			stopEverything();
		}
		long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
		String header = String.format(Locale.ROOT,
				"batch-pushgateway lifecycle benchmark, %s; %s, %d cores, %s MiB RAM; Java %s; pushgateway %s;%n"
						+ "load average %s at start, %s at end; %d min %02d s; jar %s",
				Instant.now().truncatedTo(ChronoUnit.SECONDS), cpuModel(),
				Runtime.getRuntime().availableProcessors(), memoryMiB(), System.getProperty("java.version"),
				gatewayVersion, loadAtStart, loadAverage(), seconds / 60, seconds % 60, this.jar.getFileName());
		System.out.println();
		System.out.println(header);
		System.out.println();
		printTable();
		for (String note : this.notes) {
			System.out.println("- " + note);
		}
	}

	// ---------------------------------------------------------------- rows

	/** Items 1 and 2: on/off ratio of the run times of a chunk job in alternating young JVMs. */
	private void chunkRow(String name, int items, Pairs budget, String target) throws Exception {
		Samples on = new Samples();
		Samples off = new Samples();
		Samples starterCpuPerRun = new Samples();
		long rowStarted = System.nanoTime();
		int pairs = 0;
		for (int pair = 0; budget.more(pair, rowStarted); pair++) {
			pairs = pair + 1;
			for (boolean enabled : order(pair)) {
				JvmRuns jvm = timedRuns(name, enabled, this.runsPerJvm, "--bench.job=chunk", "--bench.items=" + items);
				List<Long> runs = jvm.times();
				(enabled ? on : off).addAll(runs.subList(Math.min(this.dropped, runs.size()), runs.size()));
				if (enabled) {
					starterCpuPerRun.add(jvm.starterCpuPerRun(this.dropped));
				}
			}
			progress("%s: pair %d/%s, median on %.1f ms, off %.1f ms", name, pair + 1, budget.describe(), on.median() / 1e6,
					off.median() / 1e6);
		}
		String detail = String.format(Locale.ROOT, "(on %s / off %s ms; n=%d+%d runs, %d JVM pairs)", ms(on.median()),
				ms(off.median()), on.size(), off.size(), pairs);
		row(name + ", on/off, median", String.format(Locale.ROOT, "%.3f %s", on.median() / off.median(), detail),
				target);
		row(name + ", on/off, p99", String.format(Locale.ROOT, "%.3f (on %s / off %s ms)", on.p99() / off.p99(),
				ms(on.p99()), ms(off.p99())), target);
		row(name + ", starter's own threads, CPU per run, median", String.format(Locale.ROOT,
				"%s ms = %.1f%% of an on run (n=%d JVMs)", ms(starterCpuPerRun.median()),
				100 * starterCpuPerRun.median() / on.median(), starterCpuPerRun.size()), "(what the ratio holds directly)");
		String cpuNote = ("starter's own threads, CPU per run: the CPU time its sending and heartbeat threads used during the"
				+ " runs the ratio counts, per run. The rest of an on/off gap is indirect: the gateway's CPU, and JIT and GC"
				+ " sharing the cores");
		if (!this.notes.contains(cpuNote)) {
			this.notes.add(cpuNote);
		}
	}

	/**
	 * Item 3: what the starter adds to each run of a job of a few milliseconds, against one loopback
	 * push round trip measured alongside.
	 */
	private void fourStepRow(Pairs budget) throws Exception {
		String name = "four-step job";
		int warmupRuns = Integer.getInteger("benchmark.fourstep.warmupRuns", 50);
		int warmRuns = Integer.getInteger("benchmark.fourstep.warmRuns", 50);
		int steadyWarmupRuns = Integer.getInteger("benchmark.fourstep.steadyWarmupRuns", 1000);
		// The one-JVM figures' pairs (counted from 0): the warm ones where the separate JVMs' warm
		// runs are, the steady ones after steadyWarmupRuns pairs more, when a push's code, which runs
		// once per run, is compiled rather than interpreted.
		int warmStart = this.runsPerJvm + warmupRuns;
		int steadyStart = warmStart + warmRuns + steadyWarmupRuns;
		int roundTripsPerPair = Integer.getInteger("benchmark.roundTrips", 25);
		Samples youngOn = new Samples();
		Samples youngOff = new Samples();
		Samples warmOn = new Samples();
		Samples warmOff = new Samples();
		Samples pairedWarm = new Samples();
		Samples pairedSteady = new Samples();
		Samples pairedWarmRoundTrips = new Samples();
		Samples pairedSteadyRoundTrips = new Samples();
		Samples roundTrips = new Samples();
		RoundTrip roundTrip = RoundTrip.ofSamples(this.gateway.address(), 50);
		for (int i = 0; i < 200; i++) {
			roundTrip.push();
		}
		long rowStarted = System.nanoTime();
		int pairs = 0;
		for (int pair = 0; budget.more(pair, rowStarted); pair++) {
			pairs = pair + 1;
			for (boolean enabled : order(pair)) {
				List<Long> runs = timedRuns(name, enabled, this.runsPerJvm + warmupRuns + warmRuns,
						"--bench.job=four-step").times();
				int young = Math.min(this.runsPerJvm, runs.size());
				(enabled ? youngOn : youngOff).addAll(runs.subList(Math.min(this.dropped, young), young));
				(enabled ? warmOn : warmOff).addAll(runs.subList(runs.size() - warmRuns, runs.size()));
			}
			if (warmRuns > 0 && steadyWarmupRuns > 0) {
				JvmRuns paired = timedRuns(name + " (one JVM)", true, 2 * (steadyStart + warmRuns),
						"--bench.job=four-step-paired",
						"--batch.pushgateway.jobs.exclude=" + BenchmarkJobs.EXCLUDED_FOUR_STEP_JOB);
				pairedWarm.addAll(pairDifferences(paired.times(), warmStart, warmRuns));
				pairedSteady.addAll(pairDifferences(paired.times(), steadyStart, warmRuns));
				pairedWarmRoundTrips.addAll(paired.roundTrips().subList(warmStart, warmStart + warmRuns));
				pairedSteadyRoundTrips.addAll(paired.roundTrips().subList(steadyStart, steadyStart + warmRuns));
			}
			for (int i = 0; i < roundTripsPerPair; i++) {
				roundTrips.add(roundTrip.push());
			}
			progress("%s: pair %d/%s, young median on %.2f ms, off %.2f ms; push round trip %.2f ms", name, pair + 1,
					budget.describe(), youngOn.median() / 1e6, youngOff.median() / 1e6, roundTrips.median() / 1e6);
		}
		String target = String.format(Locale.ROOT, "<= %s ms (round trip + 0.5 ms)",
				ms(roundTrips.median() + 500_000));
		row("loopback push round trip (PUT, 50 samples, text), median / p99",
				ms(roundTrips.median()) + " / " + ms(roundTrips.p99()) + " ms (n=" + roundTrips.size() + ")",
				"(reference)");
		row(name + ", added per run, young JVM (runs " + (this.dropped + 1) + "-" + this.runsPerJvm
				+ "), median / p99", added(youngOn, youngOff), target);
		if (warmRuns > 0) {
			row(name + ", added per run, warm (runs " + (this.runsPerJvm + warmupRuns + 1) + "-"
					+ (this.runsPerJvm + warmupRuns + warmRuns)
					+ "), median / p99", added(warmOn, warmOff), target);
		}
		if (pairedWarm.size() > 0) {
			String window = "pairs " + (warmStart + 1) + "-" + (warmStart + warmRuns) + " / " + (steadyStart + 1) + "-"
					+ (steadyStart + warmRuns);
			row("the job's own group pushed again by that JVM after each pair (" + window + "), median",
					ms(pairedWarmRoundTrips.median()) + " / " + ms(pairedSteadyRoundTrips.median()) + " ms", "(reference)");
			row(name + ", added per run, one JVM, pushed and excluded in turn (" + window + "), median of differences",
					ms(pairedWarm.median()) + " / " + ms(pairedSteady.median()) + " ms (n=" + pairedWarm.size() + "+"
							+ pairedSteady.size() + ")",
					String.format(Locale.ROOT, "<= %s / %s ms (that push + 0.5 ms)",
							ms(pairedWarmRoundTrips.median() + 500_000), ms(pairedSteadyRoundTrips.median() + 500_000)));
		}
	}

	/**
	 * Item 4: whole-process wall time and CPU of {@code java -jar} running a one-step job once,
	 * and that CPU by kind of thread ({@link ThreadCpu}): whether a difference is the starter's
	 * work or the JIT's and the GC's. With
	 * {@code benchmark.cold.baseline} naming another build of this jar, each pair also runs that
	 * jar with the starter on, in turn first, between and last, so that two trees are compared in
	 * one run.
	 */
	private void coldRow(Pairs budget) throws Exception {
		String name = "cold java -jar, one-step job";
		String baselineJar = System.getProperty("benchmark.cold.baseline", "");
		Path baseline = baselineJar.isEmpty() ? null : Path.of(baselineJar);
		Samples on = new Samples();
		Samples off = new Samples();
		Samples cpuOn = new Samples();
		Samples cpuOff = new Samples();
		Samples baselineOn = new Samples();
		Samples cpuBaselineOn = new Samples();
		ThreadSamples threadsOn = new ThreadSamples();
		ThreadSamples threadsOff = new ThreadSamples();
		ThreadSamples threadsBaselineOn = new ThreadSamples();
		long rowStarted = System.nanoTime();
		int pairs = 0;
		for (int pair = 0; budget.more(pair, rowStarted); pair++) {
			pairs = pair + 1;
			boolean[] order = order(pair);
			for (int i = 0; i < order.length; i++) {
				if (baseline != null && i == pair % 3) {
					baselineOn.add(launch(name + " (baseline)", baseline, true, List.of("--bench.job=one-step"), true));
					cpuBaselineOn.add(this.lastProcessCpu);
					threadsBaselineOn.add(this.lastThreadCpu);
				}
				(order[i] ? on : off).add(coldProcess(name, order[i]));
				(order[i] ? cpuOn : cpuOff).add(this.lastProcessCpu);
				(order[i] ? threadsOn : threadsOff).add(this.lastThreadCpu);
			}
			if (baseline != null && pair % 3 == 2) {
				baselineOn.add(launch(name + " (baseline)", baseline, true, List.of("--bench.job=one-step"), true));
				cpuBaselineOn.add(this.lastProcessCpu);
				threadsBaselineOn.add(this.lastThreadCpu);
			}
			progress("%s: pair %d/%s, median on %.0f ms, off %.0f ms", name, pair + 1, budget.describe(), on.median() / 1e6,
					off.median() / 1e6);
		}
		if (baseline != null) {
			row(name + ", baseline " + baseline.getFileName() + " on, added wall time / CPU, median",
					String.format(Locale.ROOT, "%+.0f / %+.0f ms (on %.0f ms wall, %.0f ms CPU; %d runs)",
							(baselineOn.median() - off.median()) / 1e6, (cpuBaselineOn.median() - cpuOff.median()) / 1e6,
							baselineOn.median() / 1e6, cpuBaselineOn.median() / 1e6, baselineOn.size()),
					"(before)");
			row(name + ", baseline on, added CPU by thread, median", threadsBaselineOn.addedTo(threadsOff), "(before)");
		}
		row(name + ", whole process, added wall time, median / p99",
				String.format(Locale.ROOT, "%+.0f / %+.0f ms (on %.0f / off %.0f ms median; %d pairs)",
						(on.median() - off.median()) / 1e6, (on.p99() - off.p99()) / 1e6, on.median() / 1e6,
						off.median() / 1e6, pairs),
				"<= 100 ms median");
		row(name + ", whole process, added CPU (user + system), median / p99",
				String.format(Locale.ROOT, "%+.0f / %+.0f ms (on %.0f / off %.0f ms median; %d pairs)",
						(cpuOn.median() - cpuOff.median()) / 1e6, (cpuOn.p99() - cpuOff.p99()) / 1e6,
						cpuOn.median() / 1e6, cpuOff.median() / 1e6, pairs),
				"<= 250 ms median");
		row(name + ", added CPU by thread, median", threadsOn.addedTo(threadsOff), "(where the CPU goes)");
	}

	/**
	 * Item 5: the four-step job many times in one JVM; the gateway's series of the job and the heap
	 * after GC along the way, the starter on and off (the job repository on in-memory H2 grows with
	 * every run in both), then on with {@code grouping-parameters} on a parameter that changes
	 * every run.
	 */
	private void manyRunsRows() throws Exception {
		int runs = Integer.getInteger("benchmark.many.runs", 10_000);
		long manySeconds = Long.getLong("benchmark.many.seconds", Math.round(0.20 * Pairs.totalSeconds()));
		String checkpoints = Arrays.stream(System.getProperty("benchmark.many.checkpoints", "100,1000,5000,10000")
			.split(","))
			.map(String::trim)
			.filter((s) -> !s.isEmpty() && Integer.parseInt(s) < runs)
			.collect(Collectors.joining(","));
		checkpoints = checkpoints.isEmpty() ? String.valueOf(runs) : checkpoints + "," + runs;
		long groupingSeconds = Long.getLong("benchmark.grouping.seconds", Math.round(0.10 * Pairs.totalSeconds()));
		String name = String.format(Locale.ROOT, "%,d runs in one JVM", runs);
		List<Checkpoint> on = checkpointRuns(name + ", on", true, runs, checkpoints, manySeconds);
		// Off runs as many runs as on reached, so that both heaps are read at the same points.
		int reached = on.get(on.size() - 1).runs;
		List<Checkpoint> off = checkpointRuns(name + ", off", false, reached, checkpoints + "," + reached, 0);
		if (reached < runs) {
			this.notes.add(String.format(Locale.ROOT,
					"many runs: stopped by its %d s budget (benchmark.many.seconds) after %,d of %,d runs",
					manySeconds, reached, runs));
		}
		List<Checkpoint> grouping = checkpointRuns(name + ", grouping-parameters=run", true, runs, checkpoints,
				groupingSeconds, "--batch.pushgateway.grouping-parameters=run");
		String after = "after " + on.stream().map((c) -> String.format(Locale.ROOT, "%,d", c.runs))
			.collect(Collectors.joining(" / ")) + " runs";
		row(name + ": gateway series of the job, " + after,
				on.stream().map((c) -> String.valueOf(c.series)).collect(Collectors.joining(" / ")), "flat");
		row(name + ": heap after GC, on, MiB", join(on, (c) -> mib(c.heap)), "flat");
		row(name + ": heap after GC, off, MiB", join(off, (c) -> mib(c.heap)), "(reference)");
		StringBuilder difference = new StringBuilder();
		for (int i = 0; i < Math.min(on.size(), off.size()); i++) {
			difference.append((i > 0) ? " / " : "").append(String.format(Locale.ROOT, "%+.1f", (on.get(i).heap - off.get(i).heap) / 1048576.0));
		}
		row(name + ": heap on - off, MiB", difference.toString(), "flat");
		row(name + ": ms per run (median of the runs before each checkpoint)",
				"on " + join(on, (c) -> ms(c.recentMedian)) + "; off " + join(off, (c) -> ms(c.recentMedian)),
				"(reference)");
		Checkpoint lastOn = on.get(on.size() - 1);
		Checkpoint lastOff = off.get(off.size() - 1);
		row(name + ": added ms per run before the last checkpoint (on - off medians, separate JVMs)",
				String.format(Locale.ROOT, "%+.2f ms (on %s / off %s ms, runs %,d-%,d)",
						(lastOn.recentMedian - lastOff.recentMedian) / 1e6, ms(lastOn.recentMedian),
						ms(lastOff.recentMedian), (on.size() > 1) ? on.get(on.size() - 2).runs + 1 : 1, lastOn.runs),
				"(reference)");
		row("grouping-parameters=run (new value each run): series / groups, after "
				+ grouping.stream().map((c) -> String.format(Locale.ROOT, "%,d", c.runs)).collect(Collectors.joining(" / "))
				+ " runs",
				grouping.stream().map((c) -> c.series + "/" + c.groups).collect(Collectors.joining(" / ")),
				"bounded (cap of groups per job)");
		row("grouping-parameters=run: heap after GC, MiB", join(grouping, (c) -> mib(c.heap)), "bounded");
		row("grouping-parameters=run: ms per run (median of the runs before each checkpoint)",
				join(grouping, (c) -> ms(c.recentMedian)), "flat");
		Checkpoint last = grouping.get(grouping.size() - 1);
		if (last.runs < runs) {
			this.notes.add(String.format(Locale.ROOT,
					"grouping-parameters case stopped by its %d s budget (benchmark.grouping.seconds) after %,d of %,d runs",
					groupingSeconds, last.runs, runs));
		}
	}

	/**
	 * The differences of {@code count} pairs of runs of a JVM that ran the pushed job and its
	 * excluded copy in turn, from pair {@code first} (counted from 0): pushed minus excluded.
	 */
	private static List<Long> pairDifferences(List<Long> runs, int first, int count) {
		List<Long> differences = new ArrayList<>();
		for (int pair = first; pair < first + count; pair++) {
			differences.add(runs.get(2 * pair) - runs.get(2 * pair + 1));
		}
		return differences;
	}

	// ---------------------------------------------------------------- child JVMs

	/**
	 * Starts one application JVM that runs its job {@code runs} times; returns each run's time and
	 * the CPU time of the starter's threads by the end of the last run.
	 */
	private JvmRuns timedRuns(String name, boolean enabled, int runs, String... arguments) throws Exception {
		Path results = Files.createTempFile(this.work, "runs", ".txt");
		List<String> args = new ArrayList<>(List.of(arguments));
		args.addAll(List.of("--bench.runs=" + runs, "--bench.results=" + results, "--spring.batch.job.enabled=false"));
		launch(name, enabled, args);
		List<Long> times = new ArrayList<>();
		List<Long> starterCpu = new ArrayList<>();
		List<Long> roundTrips = new ArrayList<>();
		for (String line : Files.readAllLines(results)) {
			String[] fields = line.split(" ");
			if (fields[0].equals("run")) {
				times.add(Long.parseLong(fields[2]));
				starterCpu.add(Long.parseLong(fields[3]));
			}
			else if (fields[0].equals("roundtrip")) {
				roundTrips.add(Long.parseLong(fields[2]));
			}
		}
		if (times.size() != runs) {
			throw new IllegalStateException(name + ": expected " + runs + " runs, got " + times.size());
		}
		Files.delete(results);
		return new JvmRuns(times, starterCpu, roundTrips);
	}

	/**
	 * What one application JVM of {@link #timedRuns} measured: each run's time, the starter's
	 * threads' CPU after each run and, for paired runs, the reference push after each pair.
	 */
	private record JvmRuns(List<Long> times, List<Long> starterCpu, List<Long> roundTrips) {

		/**
		 * CPU time of the starter's threads per run over the runs after the dropped ones, as the
		 * ratio counts them: the JVM's first push (reading the gateway and the repository) and the
		 * warm-up of the dropped runs are left out.
		 */
		long starterCpuPerRun(int dropped) {
			int from = Math.min(dropped, this.times.size() - 1);
			long before = (from > 0) ? this.starterCpu.get(from - 1) : 0;
			return (this.starterCpu.get(this.times.size() - 1) - before) / (this.times.size() - from);
		}

	}

	/** CPU time, user and system, of the last process {@link #launch} ran, in nanoseconds. */
	private long lastProcessCpu;

	/**
	 * CPU time of the last cold process's threads by kind ({@link ThreadCpu#KINDS}), in
	 * nanoseconds; empty after other processes.
	 */
	private Map<String, Long> lastThreadCpu = Map.of();

	private long coldProcess(String name, boolean enabled) throws Exception {
		return launch(name, this.jar, enabled, List.of("--bench.job=one-step"), true);
	}

	private List<Checkpoint> checkpointRuns(String name, boolean enabled, int runs, String checkpoints,
			long maxSeconds, String... arguments) throws Exception {
		// A gateway without groups, so that each case counts only its own series.
		this.gateway.restart();
		Path results = Files.createTempFile(this.work, "checkpoints", ".txt");
		List<String> args = new ArrayList<>(List.of("--bench.job=four-step", "--bench.runs=" + runs,
				"--bench.results=" + results, "--bench.checkpoints=" + checkpoints, "--bench.max-seconds=" + maxSeconds,
				"--spring.batch.job.enabled=false"));
		args.addAll(List.of(arguments));
		progress("%s: running", name);
		launch(name, enabled, args);
		List<Checkpoint> result = new ArrayList<>();
		Samples recent = new Samples();
		for (String line : Files.readAllLines(results)) {
			String[] f = line.split(" ");
			if (f[0].equals("run")) {
				recent.add(Long.parseLong(f[2]));
			}
			else if (f[0].equals("checkpoint")) {
				result.add(new Checkpoint(Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
						Long.parseLong(f[4]), recent.median()));
				recent = new Samples();
			}
		}
		Files.delete(results);
		progress("%s: %s", name, result.stream()
			.map((c) -> String.format(Locale.ROOT, "%d runs: %d series, %d groups, heap %s MiB", c.runs, c.series,
					c.groups, mib(c.heap)))
			.collect(Collectors.joining("; ")));
		return result;
	}

	/**
	 * Runs this jar with the starter on or off; returns the process's wall time in nanoseconds and
	 * leaves its CPU time in {@link #lastProcessCpu}.
	 */
	private long launch(String name, boolean enabled, List<String> arguments) throws Exception {
		return launch(name, this.jar, enabled, arguments, false);
	}

	/**
	 * Runs a jar with the starter on or off; returns the process's wall time in nanoseconds and
	 * leaves its CPU time in {@link #lastProcessCpu} and, when {@code byThread}, its threads' in
	 * {@link #lastThreadCpu}.
	 */
	private long launch(String name, Path jar, boolean enabled, List<String> arguments, boolean byThread)
			throws Exception {
		Path cpu = this.work.resolve("cpu.txt");
		// Through bash, whose `times` gives the finished child's user and system CPU: the JDK has
		// no way to read a process's CPU after it exited (JIT and GC threads included).
		List<String> command = new ArrayList<>(List.of("bash", "-c",
				"\"${@:2}\"; status=$?; times > \"$1\"; exit $status", "bash", cpu.toString()));
		command.addAll(this.javaCommand);
		command.addAll(List.of("-jar", jar.toString(), "--batch.pushgateway.address=" + this.gateway.address(),
				"--batch.pushgateway.enabled=" + enabled));
		command.addAll(arguments);
		Path log = this.work.resolve("app.log");
		long start = System.nanoTime();
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		this.child = process;
		ThreadCpu threads = byThread ? ThreadCpu.follow(process) : null;
		int exit;
		try {
			exit = process.waitFor();
		}
		finally {
			this.child = null;
		}
		long wall = System.nanoTime() - start;
		this.lastThreadCpu = (threads != null) ? threads.byKind() : Map.of();
		if (exit != 0) {
			List<String> lines = Files.readAllLines(log);
			throw new IllegalStateException(name + " (starter " + (enabled ? "on" : "off") + ") exited with " + exit
					+ "; command: " + String.join(" ", command) + "\n"
					+ String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
		}
		this.lastProcessCpu = childrenCpu(Files.readAllLines(cpu));
		return wall;
	}

	/**
	 * Reads bash's {@code times}: its second line is the children's user and system time, as
	 * {@code 0m1.234s 0m0.056s}.
	 */
	static long childrenCpu(List<String> times) {
		long total = 0;
		for (String field : times.get(1).trim().split("\\s+")) {
			int m = field.indexOf('m');
			double seconds = Long.parseLong(field.substring(0, m)) * 60
					+ Double.parseDouble(field.substring(m + 1, field.length() - 1));
			total += Math.round(seconds * 1e9);
		}
		return total;
	}

	/** ABBA: the first JVM of a pair alternates, so that neither side always runs first. */
	private static boolean[] order(int pair) {
		return (pair % 2 == 0) ? new boolean[] { true, false } : new boolean[] { false, true };
	}

	private void stopEverything() {
		Process process = this.child;
		if (process != null) {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
		}
		PushgatewayServer server = this.gateway;
		if (server != null) {
			server.close();
		}
		try (Stream<Path> files = Files.walk(this.work)) {
			files.sorted(Comparator.reverseOrder()).forEach((p) -> p.toFile().delete());
		}
		catch (IOException | UncheckedIOException ex) {
			// already gone
		}
	}

	// ---------------------------------------------------------------- output

	private void row(String figure, String value, String target) {
		this.table.add(new Row(figure, value, target));
	}

	private void printTable() throws IOException {
		Row header = new Row("figure", "value", "target");
		String extra = System.getProperty("benchmark.extraRows", "");
		if (!extra.isEmpty() && Files.isRegularFile(Path.of(extra))) {
			List<Row> first = new ArrayList<>();
			for (String line : Files.readAllLines(Path.of(extra))) {
				String[] cells = line.replaceAll("^\\s*\\|", "").replaceAll("\\|\\s*$", "").split("\\|");
				if (cells.length == 3 && !cells[0].isBlank() && !cells[0].trim().matches("-+|figure")) {
					first.add(new Row(cells[0].trim(), cells[1].trim(), cells[2].trim()));
				}
			}
			this.table.addAll(0, first);
		}
		List<Row> rows = new ArrayList<>();
		rows.add(header);
		rows.addAll(this.table);
		int w1 = rows.stream().mapToInt((r) -> r.figure.length()).max().orElse(6);
		int w2 = rows.stream().mapToInt((r) -> r.value.length()).max().orElse(5);
		int w3 = rows.stream().mapToInt((r) -> r.target.length()).max().orElse(6);
		String format = "| %-" + w1 + "s | %-" + w2 + "s | %-" + w3 + "s |%n";
		System.out.printf(Locale.ROOT, format, header.figure, header.value, header.target);
		System.out.printf(Locale.ROOT, "|%s|%s|%s|%n", "-".repeat(w1 + 2), "-".repeat(w2 + 2), "-".repeat(w3 + 2));
		for (Row row : this.table) {
			System.out.printf(Locale.ROOT, format, row.figure, row.value, row.target);
		}
	}

	private static void progress(String format, Object... args) {
		System.err.printf(Locale.ROOT, "[%s] " + format + "%n", prepend(LocalTimeNow.now(), args));
	}

	private static Object[] prepend(Object first, Object[] rest) {
		Object[] all = new Object[rest.length + 1];
		all[0] = first;
		System.arraycopy(rest, 0, all, 1, rest.length);
		return all;
	}

	private static String added(Samples on, Samples off) {
		return String.format(Locale.ROOT, "%+.2f / %+.2f ms (on %s / off %s ms median; n=%d+%d)",
				(on.median() - off.median()) / 1e6, (on.p99() - off.p99()) / 1e6, ms(on.median()), ms(off.median()),
				on.size(), off.size());
	}

	private static String ms(double nanos) {
		return String.format(Locale.ROOT, nanos < 10e6 ? "%.2f" : "%.1f", nanos / 1e6);
	}

	private static String mib(long bytes) {
		return String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
	}

	private static String join(List<Checkpoint> checkpoints, java.util.function.Function<Checkpoint, String> value) {
		return checkpoints.stream().map(value).collect(Collectors.joining(" / "));
	}

	private String gatewayVersion() {
		for (String line : this.gateway.scrapeText().split("\n")) {
			if (line.startsWith("pushgateway_build_info{")) {
				java.util.regex.Matcher version = java.util.regex.Pattern.compile("[{,]version=\"([^\"]*)\"").matcher(line);
				if (version.find()) {
					return version.group(1);
				}
			}
		}
		return "?";
	}

	private static String loadAverage() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
			return fields[0] + " " + fields[1] + " " + fields[2];
		}
		catch (IOException ex) {
			return "?";
		}
	}

	private static String cpuModel() {
		try {
			return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
				.filter((l) -> l.startsWith("model name"))
				.map((l) -> l.substring(l.indexOf(':') + 1).trim())
				.findFirst()
				.orElse("?");
		}
		catch (IOException ex) {
			return "?";
		}
	}

	private static String memoryMiB() {
		try {
			return Files.readAllLines(Path.of("/proc/meminfo")).stream()
				.filter((l) -> l.startsWith("MemTotal:"))
				.map((l) -> String.valueOf(Long.parseLong(l.replaceAll("\\D", "")) / 1024))
				.findFirst()
				.orElse("?");
		}
		catch (IOException ex) {
			return "?";
		}
	}

	// ---------------------------------------------------------------- helpers

	private record Row(String figure, String value, String target) {
	}

	/**
	 * How many JVM pairs a row runs: at least {@code minPairs}, at most {@code maxPairs}, and no new
	 * pair once the row's time budget is spent. The budget is a share of {@code benchmark.seconds}
	 * (default 480) unless {@code benchmark.<row>.seconds} sets it; {@code benchmark.<row>.pairs}
	 * fixes the number of pairs.
	 */
	private record Pairs(int minPairs, int maxPairs, long seconds) {

		static long totalSeconds() {
			return Long.getLong("benchmark.seconds", 480);
		}

		static Pairs of(String row, double share, int minPairs, int maxPairs) {
			Integer fixed = Integer.getInteger("benchmark." + row + ".pairs");
			if (fixed != null) {
				return new Pairs(fixed, fixed, Long.MAX_VALUE / 2_000_000_000L);
			}
			return new Pairs(Integer.getInteger("benchmark." + row + ".minPairs", minPairs),
					Integer.getInteger("benchmark." + row + ".maxPairs", maxPairs),
					Long.getLong("benchmark." + row + ".seconds", Math.round(share * totalSeconds())));
		}

		boolean more(int done, long started) {
			return done < this.minPairs
					|| (done < this.maxPairs && System.nanoTime() - started < this.seconds * 1_000_000_000L);
		}

		String describe() {
			return (this.minPairs == this.maxPairs) ? String.valueOf(this.maxPairs)
					: this.minPairs + ".." + this.maxPairs + " within " + this.seconds + " s";
		}

	}

	private record Checkpoint(int runs, long heap, long series, long groups, double recentMedian) {
	}

	private static final class LocalTimeNow {

		static String now() {
			return java.time.LocalTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
		}

	}

	/** Nanosecond samples; median and p99 by nearest rank. */
	/** Each kind of thread's CPU time over processes, by {@link ThreadCpu#KINDS}. */
	private static final class ThreadSamples {

		private final Map<String, Samples> byKind = new LinkedHashMap<>();

		void add(Map<String, Long> threads) {
			threads.forEach((kind, nanos) -> this.byKind.computeIfAbsent(kind, (k) -> new Samples()).add(nanos));
		}

		/** Each kind's median minus the other side's, as "main +130, JIT C2 +440, ... ms". */
		String addedTo(ThreadSamples other) {
			if (this.byKind.isEmpty()) {
				return "n/a (no /proc)";
			}
			return Arrays.stream(ThreadCpu.KINDS)
				.map((kind) -> String.format(Locale.ROOT, "%s %+.0f", kind,
						(median(this.byKind, kind) - median(other.byKind, kind)) / 1e6))
				.collect(Collectors.joining(", ", "", " ms"));
		}

		private static double median(Map<String, Samples> byKind, String kind) {
			Samples samples = byKind.get(kind);
			return (samples != null) ? samples.median() : 0;
		}

	}

	private static final class Samples {

		private final List<Long> values = new ArrayList<>();

		void add(long value) {
			this.values.add(value);
		}

		void addAll(List<Long> more) {
			this.values.addAll(more);
		}

		int size() {
			return this.values.size();
		}

		double median() {
			if (this.values.isEmpty()) {
				return Double.NaN;
			}
			long[] sorted = sorted();
			int n = sorted.length;
			return (n % 2 == 1) ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
		}

		double p99() {
			if (this.values.isEmpty()) {
				return Double.NaN;
			}
			long[] sorted = sorted();
			return sorted[Math.max(0, (int) Math.ceil(0.99 * sorted.length) - 1)];
		}

		private long[] sorted() {
			return this.values.stream().mapToLong(Long::longValue).sorted().toArray();
		}

	}

}
