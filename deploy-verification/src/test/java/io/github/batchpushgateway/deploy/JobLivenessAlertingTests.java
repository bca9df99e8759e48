package io.github.batchpushgateway.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.github.batchpushgateway.deploy.longjob.LongTaskletJobApplication;
import io.github.batchpushgateway.testsupport.PrometheusServer;
import io.github.batchpushgateway.testsupport.PrometheusServer.QueryResult;
import io.github.batchpushgateway.testsupport.PushgatewayServer;
import io.github.batchpushgateway.testsupport.Teardown;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end with the real binaries: real {@code java} processes of a batch application using the
 * starter ({@link LongTaskletJobApplication}, progress interval 1 s) push to a real Pushgateway,
 * and a real Prometheus evaluates the shipped rules on it (a test copy of {@code prometheus.yml}
 * that scrapes and evaluates every second, rule {@code for:} durations shortened sixty-fold by
 * {@link ShortDurationRules}, nothing else changed). Three jobs run at once:
 * <ul>
 * <li>{@code healthyTaskletJob}: one 15 s tasklet that moves no count. Its heartbeat keeps it
 * alive and it has no stall timeout: it must raise nothing.</li>
 * <li>{@code killedJob}: SIGKILLed as soon as it runs, with a stall timeout of 8 s that its stale
 * progress passes after the kill: it must raise {@code BatchJobProcessGone} and never
 * {@code BatchJobStalled}.</li>
 * <li>{@code stalledJob}: alive, no progress, stall timeout 3 s: {@code BatchJobStalled} and never
 * {@code BatchJobProcessGone}.</li>
 * </ul>
 * Alerts are read from Prometheus' {@code ALERTS} series, which also keeps what fired earlier in
 * the test: "never" means no sample in this Prometheus' whole life.
 */
class JobLivenessAlertingTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final String HEALTHY = "healthyTaskletJob";

	private static final String KILLED = "killedJob";

	private static final String STALLED = "stalledJob";

	private static final Duration HEALTHY_TASKLET = Duration.ofSeconds(15);

	private static final Duration KILLED_STALL_TIMEOUT = Duration.ofSeconds(8);

	private static final Duration STALL_TIMEOUT = Duration.ofSeconds(3);

	@TempDir
	static Path directory;

	private static PushgatewayServer gateway;

	private static PrometheusServer prometheus;

	private static LongTaskletJobProcess healthy;

	private static LongTaskletJobProcess killed;

	private static LongTaskletJobProcess stalled;

	private static long killedAtMillis;

	@BeforeAll
	static void runThreeJobsAndKillOne() {
		gateway = PushgatewayServer.start();
		Path rules = directory.resolve("rules");
		prometheus = PrometheusServer.start(config(gateway, rules));
		healthy = LongTaskletJobProcess.start(HEALTHY, HEALTHY_TASKLET, gateway.address(), directory);
		// Long enough to outlive every check: the test ends them.
		killed = LongTaskletJobProcess.start(KILLED, Duration.ofMinutes(5), gateway.address(), directory,
				"batch.pushgateway.jobs.overrides." + KILLED + ".stall-timeout=" + KILLED_STALL_TIMEOUT.toSeconds() + "s");
		stalled = LongTaskletJobProcess.start(STALLED, Duration.ofMinutes(5), gateway.address(), directory,
				"batch.pushgateway.jobs.stall-timeout=" + STALL_TIMEOUT.toSeconds() + "s");
		// Killed as soon as the gateway holds it running, read from the gateway itself (no scrape
		// delay): well before its stall timeout, so that it is never stalled while alive.
		await("the gateway holds " + KILLED + " running", () -> gateway.metrics()
			.value("batch_job_running", Map.of("job", KILLED))
			.orElse(0) > 0, killed);
		killed.kill();
		killedAtMillis = System.currentTimeMillis();
	}

	@AfterAll
	static void stopEverything() {
		Teardown.closeAll(healthy, killed, stalled, prometheus, gateway);
	}

	@Test
	void aKilledJobRaisesProcessGone() {
		awaitFiring("BatchJobProcessGone", KILLED, killed);
		assertThat(everFired("BatchJobStalled", KILLED)).as("a dead process is not also stalled").isEmpty();
	}

	@Test
	void aKilledJobPastItsStallTimeoutIsGoneNotStalled() {
		// given: its last progress (the kill came well before the stall timeout) is now older than the
		// stall timeout, so only its death keeps it from being stalled
		awaitFiring("BatchJobProcessGone", KILLED, killed);
		sleepUntil(killedAtMillis + KILLED_STALL_TIMEOUT.toMillis() + 3 * LongTaskletJobProcess.PROGRESS_INTERVAL.toMillis());
		assertThat(prometheus.query("batch_job_stall_timeout_seconds{job=\"" + KILLED + "\"}"))
			.as("%s pushes its stall timeout", KILLED)
			.singleElement()
			.satisfies((result) -> assertThat(result.value()).isEqualTo(KILLED_STALL_TIMEOUT.toSeconds()));
		assertThat(prometheus.query("time() - batch_job_last_progress_timestamp_seconds{job=\"" + KILLED + "\"} > "
				+ KILLED_STALL_TIMEOUT.toSeconds()))
			.as("%s made no progress for longer than its stall timeout", KILLED)
			.hasSize(1);

		// then
		assertThat(everFired("BatchJobStalled", KILLED)).as("a dead process is not also stalled").isEmpty();
		assertThat(firing("BatchJobProcessGone", KILLED)).hasSize(1);
	}

	@Test
	void aHealthyLongTaskletRaisesNothing() {
		// when it has run its tasklet, far longer than the three progress intervals after which a
		// silent group counts as gone
		assertThat(healthy.await(TIMEOUT.plus(HEALTHY_TASKLET))).as(healthy.logTail()).isZero();
		prometheus.awaitQuery("batch_job_status{job=\"" + HEALTHY + "\",status=\"COMPLETED\"} == 1"
				+ " and on (job) batch_job_running{job=\"" + HEALTHY + "\"} == 0", (results) -> results.size() == 1, TIMEOUT);
		assertThat(prometheus.query("batch_job_duration_seconds{job=\"" + HEALTHY + "\"}")).singleElement()
			.satisfies((result) -> assertThat(result.value()).isGreaterThanOrEqualTo(HEALTHY_TASKLET.toSeconds()));

		// then
		assertThat(everFired(null, HEALTHY)).as("alerts that fired for %s", HEALTHY).isEmpty();
	}

	@Test
	void anAliveJobWithoutProgressPastItsStallTimeoutIsStalledNotGone() {
		// when
		awaitFiring("BatchJobStalled", STALLED, stalled);
		// a few more intervals alive, in which a process taken for dead would be reported gone
		sleepUntil(System.currentTimeMillis() + 4 * LongTaskletJobProcess.PROGRESS_INTERVAL.toMillis() + 2000);

		// then
		assertThat(stalled.isAlive()).as(stalled.logTail()).isTrue();
		assertThat(firing("BatchJobStalled", STALLED)).hasSize(1);
		assertThat(everFired("BatchJobProcessGone", STALLED)).as("an alive process is not gone").isEmpty();
	}

	private static void awaitFiring(String alertName, String job, LongTaskletJobProcess process) {
		await(alertName + " firing for " + job, () -> !firing(alertName, job).isEmpty(), process);
	}

	private static List<QueryResult> firing(String alertName, String job) {
		return prometheus.query("ALERTS{alertname=\"" + alertName + "\",job=\"" + job + "\",alertstate=\"firing\"}");
	}

	/**
	 * Returns the alerts that fired for a job at any time since Prometheus started.
	 * @param alertName the alert, or {@code null} for any
	 * @param job the job
	 */
	private static List<QueryResult> everFired(String alertName, String job) {
		String name = (alertName != null) ? ",alertname=\"" + alertName + "\"" : "";
		return prometheus.query("max_over_time(ALERTS{job=\"" + job + "\"" + name + ",alertstate=\"firing\"}[10m])");
	}

	private static void await(String description, BooleanSupplier condition, LongTaskletJobProcess process) {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("No " + description + " within " + TIMEOUT + ". Alerts: "
						+ prometheus.query("ALERTS") + "\nThe job's group: "
						+ prometheus.query("{job=\"" + process.jobName() + "\"}") + "\nIts log:\n" + process.logTail());
			}
			sleepUntil(System.currentTimeMillis() + 250);
		}
	}

	private static void sleepUntil(long epochMillis) {
		long millis = epochMillis - System.currentTimeMillis();
		if (millis > 0) {
			try {
				Thread.sleep(millis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	/**
	 * Renders a test copy of {@code deploy/prometheus/prometheus.yml}: intervals of one second (the
	 * jobs' progress interval), the shortened rule files, this test's gateway in place of the compose
	 * service name, no Alertmanager (the alerts are read from Prometheus), no other scrape job.
	 */
	private static String config(PushgatewayServer gateway, Path rules) {
		return FastPrometheusConfig.withoutAlerting(gateway, rules);
	}

}
