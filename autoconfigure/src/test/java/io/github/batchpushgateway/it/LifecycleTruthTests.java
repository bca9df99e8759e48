package io.github.batchpushgateway.it;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.batchpushgateway.testsupport.PushgatewayServer;
import io.github.batchpushgateway.testsupport.ScrapedMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a real Pushgateway shows when lifecycles are not the happy path: long steps without
 * progress, executions of one job at once, in one JVM and in two sharing a job repository.
 */
class LifecycleTruthTests {

	private static final Map<String, String> WAIT_JOB = Map.of("job", "waitJob");

	private static PushgatewayServer gateway;

	@BeforeAll
	static void start() {
		gateway = PushgatewayServer.start();
	}

	@AfterAll
	static void stop() {
		gateway.close();
	}

	@Test
	void aRunningJobWithoutProgressKeepsPushingItsHeartbeatWhileItsLastProgressStaysPut() throws Exception {
		try (TestBatchApplication application = TestBatchApplication.start(gateway.address(),
				"batch.pushgateway.progress-interval=200ms")) {
			// given a job that waits without moving any count
			String latch = UUID.randomUUID().toString();
			CompletableFuture<JobExecution> run = runAsync(application, latch, false);
			Latches.awaitArrival(latch);
			// (its step has started and settled: two looks a few heartbeats apart see the same progress)
			await().atMost(Duration.ofSeconds(10))
				.until(() -> gateway.metrics()
					.value("batch_step_status", Map.of("job", "waitJob", "step", "wait", "status", "STARTED"))
					.orElse(0.0) == 1);
			AtomicReference<ScrapedMetrics> settled = new AtomicReference<>(gateway.metrics());
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(700)).until(() -> {
				ScrapedMetrics previous = settled.getAndSet(gateway.metrics());
				return previous.require("batch_job_last_progress_timestamp_seconds", WAIT_JOB) == settled.get()
					.require("batch_job_last_progress_timestamp_seconds", WAIT_JOB);
			});
			ScrapedMetrics first = settled.get();

			// when it keeps waiting for more than three progress intervals
			ScrapedMetrics later;
			try {
				Thread.sleep(1000);
				later = gateway.metrics();
			}
			finally {
				Latches.open(latch);
			}

			// then the gateway got fresh pushes all along, while the time of the last progress did not move
			assertThat(later.require("push_time_seconds", WAIT_JOB))
				.isGreaterThan(first.require("push_time_seconds", WAIT_JOB) + 0.5);
			assertThat(later.require("batch_job_last_progress_timestamp_seconds", WAIT_JOB))
				.isEqualTo(first.require("batch_job_last_progress_timestamp_seconds", WAIT_JOB));
			assertThat(later.require("batch_job_status", Map.of("job", "waitJob", "status", "STARTED"))).isEqualTo(1);
			assertThat(run.get(30, TimeUnit.SECONDS).getStatus()).isEqualTo(BatchStatus.COMPLETED);
		}
	}

	@Test
	void aFinishedRunDoesNotMakeTheGroupLookIdleWhileAnotherRuns() throws Exception {
		try (TestBatchApplication application = TestBatchApplication.start(gateway.address())) {
			// given two executions of one job running at once
			String longRun = UUID.randomUUID().toString();
			String shortRun = UUID.randomUUID().toString();
			CompletableFuture<JobExecution> first = runAsync(application, longRun, false);
			CompletableFuture<JobExecution> second = runAsync(application, shortRun, false);
			Latches.awaitArrival(longRun);
			Latches.awaitArrival(shortRun);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> gateway.metrics().value("batch_job_running", WAIT_JOB).orElse(0.0) == 2);

			// when the second ends
			Latches.open(shortRun);
			assertThat(second.get(30, TimeUnit.SECONDS).getStatus()).isEqualTo(BatchStatus.COMPLETED);

			// then the gateway still shows one running execution, STARTED, and the success
			ScrapedMetrics afterShort = gateway.metrics();
			assertThat(afterShort.require("batch_job_running", WAIT_JOB)).isEqualTo(1);
			assertThat(afterShort.require("batch_job_status", Map.of("job", "waitJob", "status", "STARTED"))).isEqualTo(1);
			assertThat(afterShort.value("batch_job_last_success_timestamp_seconds", WAIT_JOB)).isPresent();

			// and only the end of the last one makes it idle
			Latches.open(longRun);
			assertThat(first.get(30, TimeUnit.SECONDS).getStatus()).isEqualTo(BatchStatus.COMPLETED);
			assertThat(gateway.metrics().require("batch_job_running", WAIT_JOB)).isEqualTo(0);
		}
	}

	@Test
	void aCompletedRunThatOverlappedAFailedOneDoesNotHideTheFailure() throws Exception {
		try (TestBatchApplication application = TestBatchApplication.start(gateway.address())) {
			// given a run that will fail and a run that will succeed, at once
			String failing = UUID.randomUUID().toString();
			String succeeding = UUID.randomUUID().toString();
			CompletableFuture<JobExecution> failed = runAsync(application, failing, true);
			CompletableFuture<JobExecution> completed = runAsync(application, succeeding, false);
			Latches.awaitArrival(failing);
			Latches.awaitArrival(succeeding);

			// when the failing one ends first and the succeeding one right after
			Latches.open(failing);
			assertThat(failed.get(30, TimeUnit.SECONDS).getStatus()).isEqualTo(BatchStatus.FAILED);
			Latches.open(succeeding);
			assertThat(completed.get(30, TimeUnit.SECONDS).getStatus()).isEqualTo(BatchStatus.COMPLETED);

			// then the group still shows the failure, with both outcomes' times
			ScrapedMetrics after = gateway.metrics();
			assertThat(after.require("batch_job_status", Map.of("job", "waitJob", "status", "FAILED"))).isEqualTo(1);
			assertThat(after.require("batch_job_status", Map.of("job", "waitJob", "status", "COMPLETED"))).isEqualTo(0);
			assertThat(after.require("batch_job_running", WAIT_JOB)).isEqualTo(0);
			assertThat(after.require("batch_job_last_success_timestamp_seconds", WAIT_JOB))
				.isGreaterThanOrEqualTo(after.require("batch_job_last_failure_timestamp_seconds", WAIT_JOB));

			// and a run started after the failure shows that the job works again
			String next = UUID.randomUUID().toString();
			Latches.open(next);
			assertThat(application.run("waitJob", parameters(next, false)).getStatus()).isEqualTo(BatchStatus.COMPLETED);
			assertThat(gateway.metrics().require("batch_job_status", Map.of("job", "waitJob", "status", "COMPLETED")))
				.isEqualTo(1);
		}
	}

	@Test
	void aJvmSharingTheJobRepositoryCountsTheExecutionsOfTheOther() throws Exception {
		String database = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
		// The first application's heartbeat is slow, so that the push the test reads is the second's.
		try (TestBatchApplication first = TestBatchApplication.startOn(database, gateway.address(),
				"batch.pushgateway.progress-interval=10m");
				TestBatchApplication second = TestBatchApplication.startOn(database, gateway.address(),
						"spring.batch.jdbc.initialize-schema=never")) {
			// given a long run in one application, whose start has reached the gateway (a start push
			// still in flight could land after the other's final push and count both as running)
			double before = System.currentTimeMillis() / 1000.0;
			String longRun = UUID.randomUUID().toString();
			CompletableFuture<JobExecution> running = runAsync(first, longRun, false);
			Latches.awaitArrival(longRun);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> gateway.metrics().value("push_time_seconds", WAIT_JOB).orElse(0) >= before
						&& gateway.metrics().value("batch_job_running", WAIT_JOB).orElse(0) == 1);

			// when a short run of the same job ends in the other
			String shortRun = UUID.randomUUID().toString();
			Latches.open(shortRun);
			assertThat(second.run("waitJob", parameters(shortRun, false)).getStatus())
				.isEqualTo(BatchStatus.COMPLETED);

			// then its final push still counts the first application's execution as running
			assertThat(gateway.metrics().require("batch_job_running", WAIT_JOB)).isEqualTo(1);
			Latches.open(longRun);
			assertThat(running.get(30, TimeUnit.SECONDS).getStatus()).isEqualTo(BatchStatus.COMPLETED);
			assertThat(gateway.metrics().require("batch_job_running", WAIT_JOB)).isEqualTo(0);
		}
	}

	@Test
	void aFailureInAnotherJvmSharingTheRepositoryIsNotErasedByThisJvmsHeartbeats() throws Exception {
		String database = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
		try (TestBatchApplication first = TestBatchApplication.startOn(database, gateway.address(),
				"batch.pushgateway.progress-interval=200ms");
				TestBatchApplication second = TestBatchApplication.startOn(database, gateway.address(),
						"spring.batch.jdbc.initialize-schema=never")) {
			// given a long run in one application, and a run that fails in the other
			String longRun = UUID.randomUUID().toString();
			CompletableFuture<JobExecution> running = runAsync(first, longRun, false);
			Latches.awaitArrival(longRun);
			String failing = UUID.randomUUID().toString();
			Latches.open(failing);
			assertThat(second.run("waitJob", parameters(failing, true)).getStatus()).isEqualTo(BatchStatus.FAILED);
			// A heartbeat of the first built just before the failure was saved may land after the
			// second's final push; the first's next refresh, within an interval, takes it in.
			double failure = await().atMost(Duration.ofSeconds(5))
				.until(() -> gateway.metrics().value("batch_job_last_failure_timestamp_seconds", WAIT_JOB),
						OptionalDouble::isPresent)
				.getAsDouble();

			// when the first keeps pushing its heartbeat
			Thread.sleep(1000);

			// then its pushes still carry the other's failure
			assertThat(gateway.metrics().value("batch_job_last_failure_timestamp_seconds", WAIT_JOB)).hasValue(failure);
			Latches.open(longRun);
			running.get(30, TimeUnit.SECONDS);
		}
	}

	private static CompletableFuture<JobExecution> runAsync(TestBatchApplication application, String latch,
			boolean fail) {
		return CompletableFuture.supplyAsync(() -> application.run("waitJob", parameters(latch, fail)));
	}

	private static JobParameters parameters(String latch, boolean fail) {
		return new JobParametersBuilder().addString("latch", latch)
			.addString("fail", String.valueOf(fail))
			.toJobParameters();
	}

}
