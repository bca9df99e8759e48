package io.github.batchpushgateway.example.scaleout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.batchpushgateway.testsupport.PrometheusServer.QueryResult;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What docs/scaling-out.md says of remote chunking (issue 15, item 5), end to end. The
 * manager step's counts move during the run, but they are what the manager has sent: the
 * workers' replies are added to its step execution only at the step's end (Spring Batch
 * 6.0.4's {@code ChunkMessageChannelItemWriter.afterStep}). A dead worker stops the
 * replies, the manager blocks at its throttle limit and {@code BatchJobStalled} fires for
 * the job while the manager still waits; at the end the gateway counts what
 * {@code BATCH_STEP_EXECUTION} holds. A manager and one worker JVM of the example (one, so
 * that a killed worker leaves nobody to take its chunks) on real PostgreSQL, RabbitMQ,
 * Pushgateway and Prometheus with the project's rules; a stall timeout of 6 s and a
 * progress interval of 1 s in every JVM.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RemoteChunkingIT {

	private static final String JOB = "chunkedJob";

	private static final String MANAGER_STEP = "chunkedManagerStep";

	private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

	private static final Duration STALL_ALERT_TIMEOUT = Duration.ofSeconds(90);

	@RegisterExtension
	static final ScaleOutCluster cluster = ScaleOutCluster.withWorkers(1, "--batch.pushgateway.jobs.stall-timeout=6s",
			"--batch.pushgateway.progress-interval=1s");

	@Test
	@Order(1)
	void aHealthyRunShowsItsCountsMoveRaisesNoAlertAndEndsWithTheRepositorysCounts() {
		// given
		List<Double> writtenWhileReading = new ArrayList<>();
		List<Double> writtenBeyondReadWhileReading = new ArrayList<>();
		List<QueryResult> firing = new ArrayList<>();

		// when: 600 items at 20 ms each on one worker, about 12 s of work
		try (ExampleJvm manager = cluster.startManager(JOB, "--scale-out.items=600", "--scale-out.item-delay=20ms")) {
			while (manager.isAlive()) {
				// Counts of pushes made before the reader was exhausted, so well before the step's
				// end; each query reads both counts from the same push.
				String written = managerStep("batch_step_written_items_total");
				String whileReading = " and " + managerStep("batch_step_read_items_total") + " < 600";
				cluster.prometheus().query(written + whileReading)
					.forEach((sample) -> writtenWhileReading.add(sample.value()));
				cluster.prometheus().query(written + " - " + managerStep("batch_step_read_items_total") + whileReading)
					.forEach((sample) -> writtenBeyondReadWhileReading.add(sample.value()));
				firing.addAll(cluster.prometheus().query("ALERTS{job=\"" + JOB + "\",alertstate=\"firing\"}"));
				ExampleJvm.sleep(Duration.ofMillis(500));
			}
			assertThat(manager.awaitExit(RUN_TIMEOUT)).as(manager.logTail()).isZero();
		}

		// then: counts moved before the end, without the replies, and nothing fired
		long execution = cluster.lastJobExecutionId(JOB);
		assertThat(writtenWhileReading).as("the manager step's written items before the reader's end")
			.anySatisfy((written) -> assertThat(written).isPositive());
		assertThat(writtenBeyondReadWhileReading)
			.as("written minus read items before the reader's end: no reply is counted before the step's end")
			.isNotEmpty()
			.allSatisfy((beyond) -> assertThat(beyond).isNotPositive());
		assertThat(firing).as("alerts firing for a healthy run (BatchJobStalled above all)").isEmpty();
		// and at the end the gateway holds the repository's counts. Spring Batch 6.0.4 counts
		// each written item twice in remote chunking (once when the chunk is sent, once from
		// the reply), so the gateway is compared with the repository, not with the 600 items.
		assertThat(cluster.jobStatus(execution)).isEqualTo("COMPLETED");
		for (String[] count : new String[][] { { "batch_step_read_items_total", "read_count" },
				{ "batch_step_written_items_total", "write_count" }, { "batch_step_commits_total", "commit_count" },
				{ "batch_step_rollbacks_total", "rollback_count" } }) {
			assertThat(cluster.gatewayValue(count[0], JOB, Map.of("step", MANAGER_STEP))).as(count[0])
				.isEqualTo(cluster.stepSum(execution, count[1], "= '" + MANAGER_STEP + "'"));
		}
		assertThat(cluster.gatewayValue("batch_step_read_items_total", JOB, Map.of("step", MANAGER_STEP)))
			.isEqualTo(600);
	}

	@Test
	@Order(2) // last: it kills the only worker
	void aKilledWorkerStallsTheManagerAndRaisesBatchJobStalledWhileTheManagerStillWaits() {
		try (ExampleJvm manager = cluster.startManager(JOB, "--scale-out.items=4000", "--scale-out.item-delay=20ms")) {
			// given: the manager step has sent chunks of this run
			long rowsBefore = cluster.processedItemRows();
			long execution = awaitSentChunks(manager);
			assertThat(firingStalled()).as("BatchJobStalled before the kill").isEmpty();

			// when
			cluster.worker(0).kill();

			// then: the replies stop, the manager blocks at its throttle limit, progress stops
			cluster.prometheus().awaitQuery(stalledAlert(), (result) -> !result.isEmpty(), STALL_ALERT_TIMEOUT);
			assertThat(manager.isAlive()).as("the manager still waits for the replies").isTrue();
			assertThat(cluster.jobStatus(execution)).isEqualTo("STARTED");
			assertThat(cluster.stepSum(execution, "read_count", "= '" + MANAGER_STEP + "'"))
				.as("items the manager had read when it blocked")
				.isLessThan(4000);
			// and the written items it shows are the chunks it sent, the dead worker's included
			double written = cluster.gatewayValue("batch_step_written_items_total", JOB,
					Map.of("step", MANAGER_STEP));
			assertThat(written).as("the gateway's written items")
				.isEqualTo(cluster.stepSum(execution, "write_count", "= '" + MANAGER_STEP + "'"))
				.isGreaterThan(cluster.processedItemRows() - rowsBefore);
		}
	}

	/**
	 * Wait until the newest run's manager step counts written items at the gateway.
	 * @return the run's job execution id
	 */
	private static long awaitSentChunks(ExampleJvm manager) {
		long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!manager.isAlive()) {
				throw new AssertionError(manager + " exited" + manager.logTail());
			}
			if (!cluster.prometheus()
				.query(managerStep("batch_step_written_items_total") + " > 0 and on(job) batch_job_running{job=\""
						+ JOB + "\"} == 1")
				.isEmpty()) {
				return cluster.lastJobExecutionId(JOB);
			}
			ExampleJvm.sleep(Duration.ofMillis(250));
		}
		throw new AssertionError("no chunk sent within " + RUN_TIMEOUT + manager.logTail());
	}

	private static String managerStep(String metric) {
		return metric + "{job=\"" + JOB + "\",step=\"" + MANAGER_STEP + "\"}";
	}

	private static List<QueryResult> firingStalled() {
		return cluster.prometheus().query(stalledAlert());
	}

	private static String stalledAlert() {
		return "ALERTS{alertname=\"BatchJobStalled\",alertstate=\"firing\",job=\"" + JOB + "\"}";
	}

}
