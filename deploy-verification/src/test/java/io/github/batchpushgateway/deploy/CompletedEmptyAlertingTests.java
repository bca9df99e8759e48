package io.github.batchpushgateway.deploy;

import java.nio.file.Path;
import java.time.Duration;

import io.github.batchpushgateway.testsupport.PrometheusServer;
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
 * {@link FastPrometheusConfig}). Both jobs complete and both have a result assertion:
 * <ul>
 * <li>{@code emptyJob}: at least one item. Its one tasklet step reads nothing, so
 * {@code BatchJobCompletedEmpty} must fire for it, and no failure alert.</li>
 * <li>{@code fullJob}: at least 20 items. It reads and writes 25: nothing may fire for it.</li>
 * </ul>
 */
class CompletedEmptyAlertingTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final String EMPTY = "emptyJob";

	private static final String FULL = "fullJob";

	@TempDir
	static Path directory;

	private static PushgatewayServer gateway;

	private static PrometheusServer prometheus;

	private static LongTaskletJobProcess empty;

	private static LongTaskletJobProcess full;

	@BeforeAll
	static void runBothJobsOnce() {
		gateway = PushgatewayServer.start();
		prometheus = PrometheusServer.start(FastPrometheusConfig.withoutAlerting(gateway, directory.resolve("rules")));
		empty = LongTaskletJobProcess.start(EMPTY, Duration.ofMillis(100), gateway.address(), directory,
				"batch.pushgateway.jobs.min-items=1");
		full = LongTaskletJobProcess.start(FULL, Duration.ofMillis(100), gateway.address(), directory,
				"batch.pushgateway.jobs.overrides.fullJob.min-items=20", "test-job.items=25");
		assertThat(empty.await(TIMEOUT)).as(empty.logTail()).isZero();
		assertThat(full.await(TIMEOUT)).as(full.logTail()).isZero();
	}

	@AfterAll
	static void stopEverything() {
		Teardown.closeAll(empty, full, prometheus, gateway);
	}

	@Test
	void aRunThatCompletedBelowItsMinimumRaisesCompletedEmptyAndNoFailure() {
		// when
		prometheus.awaitQuery("ALERTS{alertname=\"BatchJobCompletedEmpty\",job=\"" + EMPTY + "\",alertstate=\"firing\"}",
				(results) -> results.size() == 1, TIMEOUT);

		// then it is a success that did nothing, not a failure
		assertThat(prometheus.query("batch_job_status{job=\"" + EMPTY + "\",status=\"COMPLETED\"} == 1")).hasSize(1);
		assertThat(prometheus.query("batch_step_read_items_total{job=\"" + EMPTY + "\"}")).singleElement()
			.satisfies((result) -> assertThat(result.value()).isZero());
		assertThat(prometheus.query("ALERTS{job=\"" + EMPTY + "\",alertname!=\"BatchJobCompletedEmpty\"}"))
			.as("other alerts for %s", EMPTY)
			.isEmpty();
	}

	@Test
	void aRunThatMetItsMinimumRaisesNothing() {
		// when the other job's alert has fired, and this job's verdict has been scraped for three
		// scrapes (every second, the rules evaluated as often): its process pushed the verdict
		// with its end just before exiting, possibly after the scrape that made the other alert fire
		prometheus.awaitQuery("ALERTS{alertname=\"BatchJobCompletedEmpty\",job=\"" + EMPTY + "\",alertstate=\"firing\"}",
				(results) -> results.size() == 1, TIMEOUT);
		prometheus.awaitQuery("count_over_time(batch_job_last_run_empty{job=\"" + FULL + "\"}[1m]) >= 3",
				(results) -> results.size() == 1, TIMEOUT);
		assertThat(prometheus.query("batch_job_last_run_empty{job=\"" + FULL + "\"} == 0"))
			.as("%s pushed its verdict", FULL)
			.hasSize(1);

		// then
		assertThat(prometheus.query("max_over_time(ALERTS{job=\"" + FULL + "\",alertstate=\"firing\"}[10m])"))
			.as("alerts that fired for %s", FULL)
			.isEmpty();
	}

}
