package io.github.batchpushgateway.benchmark.lifecycle;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Configuration;

/**
 * Runs the application's job {@code bench.runs} times on the main thread (with
 * {@code bench.job=four-step-paired}, odd runs the pushed job and even runs its excluded copy), each with the job
 * parameter {@code run} = 1, 2, ... (so each run is a new job instance, and
 * {@code batch.pushgateway.grouping-parameters=run} gives each run its own group), and writes
 * one line per run to {@code bench.results}: {@code run <n> <nanoseconds JobOperator.start took>}.
 * At each of {@code bench.checkpoints} it also writes
 * {@code checkpoint <runs> <heap bytes after GC> <series of the job in the gateway> <groups of
 * the job> <elapsed nanoseconds>}; after {@code bench.max-seconds} it writes a last checkpoint and
 * stops. Each run line ends with {@code <nanoseconds>}: the CPU time the starter's own threads
 * (sending and heartbeat, named {@code batch-pushgateway-*}) have used by then, read after the
 * run's timing, the starter's direct cost next to the job's thread, which no run time shows on
 * its own. After each pair of the paired runs it also pushes the pushed job's group once more, as
 * the reference round trip, and writes {@code roundtrip <pair> <nanoseconds>}. Does nothing without
 * {@code bench.runs}.
 */
@Configuration(proxyBeanMethods = false)
class TimedRuns implements ApplicationRunner {

	private final Job job;

	/** The excluded copy of the job, run every second time; {@code null} when there is none. */
	private final @Nullable Job excluded;

	private final JobOperator jobOperator;

	private final int runs;

	private final String results;

	private final Set<Integer> checkpoints;

	private final long maxNanos;

	private final String gatewayAddress;

	private @Nullable RoundTrip reference;

	TimedRuns(List<Job> jobs, JobOperator jobOperator, @Value("${bench.runs:0}") int runs,
			@Value("${bench.results:}") String results, @Value("${bench.checkpoints:}") String checkpoints,
			@Value("${bench.max-seconds:0}") long maxSeconds,
			@Value("${batch.pushgateway.address:localhost:9091}") String gatewayAddress) {
		this.job = jobs.stream()
			.filter((job) -> !job.getName().equals(BenchmarkJobs.EXCLUDED_FOUR_STEP_JOB))
			.findFirst()
			.orElseThrow();
		this.excluded = jobs.stream()
			.filter((job) -> job.getName().equals(BenchmarkJobs.EXCLUDED_FOUR_STEP_JOB))
			.findFirst()
			.orElse(null);
		this.jobOperator = jobOperator;
		this.runs = runs;
		this.results = results;
		this.checkpoints = new HashSet<>();
		Arrays.stream(checkpoints.split(",")).map(String::trim).filter((s) -> !s.isEmpty())
			.forEach((s) -> this.checkpoints.add(Integer.parseInt(s)));
		this.maxNanos = (maxSeconds > 0) ? maxSeconds * 1_000_000_000L : Long.MAX_VALUE;
		this.gatewayAddress = gatewayAddress;
	}

	@Override
	public void run(ApplicationArguments args) throws Exception {
		if (this.runs <= 0) {
			return;
		}
		try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(this.results)), true)) {
			long started = System.nanoTime();
			for (int run = 1; run <= this.runs; run++) {
				JobParameters parameters = new JobParametersBuilder().addLong("run", (long) run).toJobParameters();
				long start = System.nanoTime();
				Job job = (this.excluded != null && run % 2 == 0) ? this.excluded : this.job;
				JobExecution execution = this.jobOperator.start(job, parameters);
				long took = System.nanoTime() - start;
				if (execution.getStatus() != BatchStatus.COMPLETED) {
					throw new IllegalStateException("Run " + run + " ended " + execution.getStatus());
				}
				out.println("run " + run + " " + took + " " + starterThreadsCpu());
				if (this.excluded != null && run % 2 == 0) {
					out.println("roundtrip " + run / 2 + " " + referencePush().push());
				}
				boolean outOfTime = System.nanoTime() - started > this.maxNanos;
				if (this.checkpoints.contains(run) || outOfTime) {
					checkpoint(out, run, System.nanoTime() - started);
				}
				if (outOfTime) {
					break;
				}
			}
		}
	}

	/**
	 * The reference of a pair: the pushed job's group, as its first run left it in the gateway,
	 * pushed by this JVM after each pair, so that the round trip is timed with the same payload, the
	 * same cadence and the same compiled code as the job's own push.
	 */
	private RoundTrip referencePush() throws IOException {
		if (this.reference == null) {
			this.reference = RoundTrip.ofJobGroup(this.gatewayAddress, scrapeGateway(), this.job.getName());
		}
		return this.reference;
	}

	/** CPU time of the live threads the starter started; threads that ended are not counted. */
	private static long starterThreadsCpu() {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long total = 0;
		for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
			if (info != null && info.getThreadName().startsWith("batch-pushgateway-")) {
				total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
			}
		}
		return total;
	}

	private void checkpoint(PrintWriter out, int run, long elapsed) throws IOException {
		System.gc();
		System.gc();
		long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		String label = "job=\"" + this.job.getName() + "\"";
		long series = 0;
		Set<String> groups = new TreeSet<>();
		for (String line : scrapeGateway().split("\n")) {
			if (!line.startsWith("#") && line.contains(label)) {
				series++;
				if (line.startsWith("push_time_seconds{")) {
					groups.add(line.substring(0, line.lastIndexOf('}')));
				}
			}
		}
		out.println("checkpoint " + run + " " + heap + " " + series + " " + groups.size() + " " + elapsed);
	}

	private String scrapeGateway() throws IOException {
		HttpURLConnection connection = (HttpURLConnection) URI.create("http://" + this.gatewayAddress + "/metrics")
			.toURL()
			.openConnection();
		try (InputStream in = connection.getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		finally {
			connection.disconnect();
		}
	}

}
