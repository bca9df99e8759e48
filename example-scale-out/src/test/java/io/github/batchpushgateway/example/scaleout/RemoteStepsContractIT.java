package io.github.batchpushgateway.example.scaleout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.batchpushgateway.testsupport.PrometheusServer.QueryResult;
import io.github.batchpushgateway.testsupport.ScrapedMetrics.Sample;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the gateway must show of remote steps (issue 15): read where their truth is, the
 * shared job repository, while the job runs and at its end. A manager and two worker JVMs
 * of the example on real PostgreSQL, RabbitMQ, Pushgateway and Prometheus with the
 * project's rules; a stall timeout of 6 s and a progress interval of 1 s in every JVM.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RemoteStepsContractIT {

	private static final String JOB = "partitionedJob";

	private static final String MANAGER_STEP = "partitionedManagerStep";

	private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

	private static final Duration PARTITION_TIMEOUT = Duration.ofSeconds(90);

	@RegisterExtension
	static final ScaleOutCluster cluster = ScaleOutCluster.withWorkers(2, "--batch.pushgateway.jobs.stall-timeout=6s",
			"--batch.pushgateway.progress-interval=1s");

	@Test
	@Order(1)
	void aHealthyRunShowsItsCountsMoveRaisesNoAlertAndEndsWithItsPartitionsAggregated() {
		// given
		List<Double> writtenWhileRunning = new ArrayList<>();
		List<QueryResult> firing = new ArrayList<>();

		// when
		try (ExampleJvm manager = cluster.startManager(JOB, "--scale-out.items=1600", "--scale-out.grid-size=4",
				"--scale-out.item-delay=20ms")) {
			while (manager.isAlive()) {
				List<QueryResult> running = cluster.prometheus().query("batch_job_running{job=\"" + JOB + "\"} == 1");
				List<QueryResult> written = cluster.prometheus()
					.query("batch_step_written_items_total{job=\"" + JOB + "\",step=\"" + MANAGER_STEP + "\"}");
				if (!running.isEmpty() && !written.isEmpty()) {
					writtenWhileRunning.add(written.get(0).value());
				}
				firing.addAll(cluster.prometheus().query("ALERTS{job=\"" + JOB + "\",alertstate=\"firing\"}"));
				ExampleJvm.sleep(Duration.ofMillis(500));
			}
			assertThat(manager.awaitExit(RUN_TIMEOUT)).as(manager.logTail()).isZero();
		}

		// then
		assertThat(writtenWhileRunning).as("the manager step's written items while the job ran")
			.anySatisfy((written) -> assertThat(written).isPositive().isLessThan(1600));
		assertThat(firing).as("alerts firing for a healthy run (BatchJobStalled above all)").isEmpty();
		assertThat(partitionSeriesAtTheGateway()).as("series of single partitions").isEmpty();
		assertThat(cluster.gatewayValue("batch_step_partitions", JOB,
				Map.of("step", MANAGER_STEP, "status", "COMPLETED")))
			.isEqualTo(4);
		long execution = cluster.lastJobExecutionId(JOB);
		assertThat(cluster.gatewayValue("batch_step_written_items_total", JOB, Map.of("step", MANAGER_STEP)))
			.isEqualTo(cluster.stepSum(execution, "write_count", "LIKE 'partitionedWorkerStep:partition%'"));
	}

	@Test
	@Order(2)
	void seriesOfTheGroupDoNotGrowWithTheGridSize() {
		// when
		int seriesForGridOf4 = seriesAfterARun(4);
		int seriesForGridOf40 = seriesAfterARun(40);

		// then
		assertThat(seriesForGridOf40).isEqualTo(seriesForGridOf4);
		assertThat(cluster.gatewayValue("batch_step_partitions", JOB,
				Map.of("step", MANAGER_STEP, "status", "COMPLETED")))
			.isEqualTo(40);
	}

	@Test
	@Order(3) // last: it kills a worker
	void aKilledWorkersPartitionIsCountedAndAlertedBeforeTheManagersTimeout() {
		try (ExampleJvm manager = cluster.startManager(JOB, "--scale-out.items=4000", "--scale-out.grid-size=4",
				"--scale-out.item-delay=20ms", "--scale-out.partition-timeout=" + PARTITION_TIMEOUT.toSeconds() + "s")) {
			// given: both workers are inside a partition
			cluster.awaitRunningPartitions(manager, 2, RUN_TIMEOUT);

			// when
			cluster.worker(0).kill();
			long killedAt = System.nanoTime();

			// then
			cluster.prometheus().awaitQuery(
					"batch_step_partitions_stalled{job=\"" + JOB + "\",step=\"" + MANAGER_STEP + "\"} > 0",
					(result) -> !result.isEmpty(), PARTITION_TIMEOUT);
			cluster.prometheus().awaitQuery(
					"ALERTS{alertname=\"BatchJobPartitionStalled\",alertstate=\"firing\",job=\"" + JOB + "\",step=\""
							+ MANAGER_STEP + "\"}",
					(result) -> !result.isEmpty(), PARTITION_TIMEOUT);
			assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(PARTITION_TIMEOUT);
			assertThat(manager.isAlive()).as("the manager still waits for the partition").isTrue();
			manager.terminate();
			manager.awaitExit(RUN_TIMEOUT);
		}
	}

	private static int seriesAfterARun(int gridSize) {
		try (ExampleJvm manager = cluster.startManager(JOB, "--scale-out.items=400",
				"--scale-out.grid-size=" + gridSize, "--scale-out.item-delay=1ms")) {
			assertThat(manager.awaitExit(RUN_TIMEOUT)).as(manager.logTail()).isZero();
		}
		return jobSamplesAtTheGateway().size();
	}

	private static List<Sample> jobSamplesAtTheGateway() {
		return cluster.gateway().metrics()
			.samples()
			.stream()
			.filter((sample) -> JOB.equals(sample.labels().get("job")))
			.toList();
	}

	private static List<Sample> partitionSeriesAtTheGateway() {
		return jobSamplesAtTheGateway().stream()
			.filter((sample) -> String.valueOf(sample.labels().get("step")).matches(".*:partition.*"))
			.toList();
	}

}
