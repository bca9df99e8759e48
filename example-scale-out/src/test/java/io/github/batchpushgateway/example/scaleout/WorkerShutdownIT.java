package io.github.batchpushgateway.example.scaleout;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.batch.core.BatchStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM (not {@code kill -9}) to a worker JVM while it runs a partition (issue 15,
 * item 6), on real PostgreSQL, RabbitMQ and Pushgateway with a manager and two workers:
 * the partition's request was never acknowledged, so the broker gives it to the other
 * worker, which resumes the partition from its last commit; no partition is left
 * {@code STARTED}, the job completes with every item written exactly once, and the
 * gateway's partitions by status equal what {@code BATCH_STEP_EXECUTION} holds.
 */
class WorkerShutdownIT {

	private static final String JOB = "partitionedJob";

	private static final String MANAGER_STEP = "partitionedManagerStep";

	private static final int ITEMS = 2400;

	private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

	@RegisterExtension
	static final ScaleOutCluster cluster = ScaleOutCluster.withWorkers(2,
			"--batch.pushgateway.progress-interval=1s");

	@Test
	void sigtermToAWorkerMidPartitionHasTheOtherWorkerFinishItAndTheGatewayAgreesWithTheRepository() {
		// given: 4 partitions of 600 items at 20 ms each, so each worker is mid-partition
		ExampleJvm stopped = cluster.worker(0);
		ExampleJvm survivor = cluster.worker(1);
		String partition;
		try (ExampleJvm manager = cluster.startManager(JOB, "--scale-out.items=" + ITEMS, "--scale-out.grid-size=4",
				"--scale-out.item-delay=20ms", "--scale-out.partition-timeout=90s")) {
			cluster.awaitRunningPartitions(manager, 2, RUN_TIMEOUT);
			partition = runningPartitions().stream()
				.filter((name) -> stopped.logged("Executing step: [" + name + "]"))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no running partition in " + stopped + stopped.logTail()));

			// when
			stopped.terminate();
			stopped.awaitExit(Duration.ofSeconds(60));

			// then: the job ends by itself, completed
			assertThat(manager.awaitExit(RUN_TIMEOUT)).as(manager.logTail()).isZero();
		}
		long execution = cluster.lastJobExecutionId(JOB);
		assertThat(cluster.jobStatus(execution)).isEqualTo("COMPLETED");
		assertThat(partitionStatus(execution, partition)).as("status of " + partition + " that " + stopped + " ran")
			.isEqualTo("COMPLETED");
		assertThat(survivor.logged("Executing step: [" + partition + "]"))
			.as(partition + " taken over by " + survivor + survivor.logTail())
			.isTrue();
		assertThat(cluster.stepSum(execution, "1", "LIKE 'partitionedWorkerStep:partition%' AND status <> 'COMPLETED'"))
			.as("partitions not completed")
			.isZero();
		assertThat(cluster.query("SELECT count(*) || ' ' || count(DISTINCT item) FROM processed_item"))
			.as("rows written and distinct items: each item exactly once")
			.isEqualTo(ITEMS + " " + ITEMS);
		for (BatchStatus status : BatchStatus.values()) {
			assertThat(cluster.gatewayValue("batch_step_partitions", JOB,
					Map.of("step", MANAGER_STEP, "status", status.name())))
				.as("partitions %s at the gateway", status)
				.isEqualTo(cluster.stepSum(execution, "1",
						"LIKE 'partitionedWorkerStep:partition%' AND status = '" + status + "'"));
		}
	}

	/** The partitions the repository shows running now, by step name. */
	private static List<String> runningPartitions() {
		return Arrays.asList(cluster
			.query("SELECT s.step_name FROM batch_step_execution s JOIN batch_job_execution e "
					+ "ON e.job_execution_id = s.job_execution_id WHERE e.status = 'STARTED' AND s.status = 'STARTED' "
					+ "AND s.step_name LIKE 'partitionedWorkerStep:%'")
			.split("\n"));
	}

	private static String partitionStatus(long execution, String partition) {
		return cluster.query("SELECT status FROM batch_step_execution WHERE job_execution_id = " + execution
				+ " AND step_name = '" + partition + "'");
	}

}
