package io.github.batchpushgateway.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
 * End to end with the real binaries: {@code java} processes of a batch application using the
 * starter run their job once and exit, pushing to a real Pushgateway, while a real Prometheus
 * evaluates the shipped rules (the test copy of {@code prometheus.yml} of
 * {@link FastPrometheusConfig}). Both jobs have a schedule:
 * <ul>
 * <li>{@code missedJob}: every ten seconds, two seconds' grace. Nothing starts it again, so the run
 * its last push announced never happens: {@code BatchJobMissedRun} must fire for it.</li>
 * <li>{@code onTimeJob}: daily at 03:00 with the default hour of grace. It ran, and its next run is
 * not due: nothing may fire for it.</li>
 * </ul>
 */
class MissedRunAlertingTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final String MISSED = "missedJob";

	private static final String ON_TIME = "onTimeJob";

	@TempDir
	static Path directory;

	private static PushgatewayServer gateway;

	private static PrometheusServer prometheus;

	private static LongTaskletJobProcess missed;

	private static LongTaskletJobProcess onTime;

	@BeforeAll
	static void runBothJobsOnce() {
		gateway = PushgatewayServer.start();
		prometheus = PrometheusServer.start(FastPrometheusConfig.withoutAlerting(gateway, directory.resolve("rules")));
		missed = LongTaskletJobProcess.start(MISSED, Duration.ofMillis(500), gateway.address(), directory,
				"batch.pushgateway.jobs.schedule=0/10 * * * * *", "batch.pushgateway.jobs.grace-period=2s");
		onTime = LongTaskletJobProcess.start(ON_TIME, Duration.ofMillis(500), gateway.address(), directory,
				"batch.pushgateway.jobs.schedule=0 0 3 * * *");
		assertThat(missed.await(TIMEOUT)).as(missed.logTail()).isZero();
		assertThat(onTime.await(TIMEOUT)).as(onTime.logTail()).isZero();
	}

	@AfterAll
	static void stopEverything() {
		Teardown.closeAll(missed, onTime, prometheus, gateway);
	}

	@Test
	void aScheduledRunThatNeverStartsRaisesMissedRunNamingIt() {
		// when
		prometheus.awaitQuery(
				"ALERTS{alertname=\"BatchJobMissedRun\",job=\"" + MISSED + "\",alertstate=\"firing\"}",
				(results) -> results.size() == 1, TIMEOUT);

		// then: the run it names is the one the job's last push announced, on its schedule's grid
		List<QueryResult> expected = prometheus
			.query("batch_job_next_expected_start_timestamp_seconds{job=\"" + MISSED + "\"}");
		assertThat(expected).singleElement().satisfies((result) -> {
			assertThat(result.value() % 10).as("on the ten-second grid").isZero();
			assertThat(result.value()).isLessThan(System.currentTimeMillis() / 1000.0 - 2);
		});
		assertThat(prometheus.query("batch_job_next_start_deadline_timestamp_seconds{job=\"" + MISSED + "\"}"
				+ " - batch_job_next_expected_start_timestamp_seconds{job=\"" + MISSED + "\"}"))
			.singleElement()
			.satisfies((result) -> assertThat(result.value()).as("the grace period").isEqualTo(2));
	}

	@Test
	void aJobWhoseNextRunIsNotDueRaisesNothing() {
		// when the other job's missed run has fired, this one's series have been evaluated for as long
		prometheus.awaitQuery(
				"ALERTS{alertname=\"BatchJobMissedRun\",job=\"" + MISSED + "\",alertstate=\"firing\"}",
				(results) -> results.size() == 1, TIMEOUT);
		assertThat(prometheus.query("batch_job_next_start_deadline_timestamp_seconds{job=\"" + ON_TIME + "\"} > time()"))
			.as("%s pushed a deadline still ahead", ON_TIME)
			.hasSize(1);

		// then
		assertThat(prometheus.query("max_over_time(ALERTS{job=\"" + ON_TIME + "\",alertstate=\"firing\"}[10m])"))
			.as("alerts that fired for %s", ON_TIME)
			.isEmpty();
	}

}
