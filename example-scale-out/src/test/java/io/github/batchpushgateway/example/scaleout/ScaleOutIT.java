package io.github.batchpushgateway.example.scaleout;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job spread over a manager and two worker JVMs, on a real PostgreSQL job repository
 * and a real RabbitMQ, pushing to a real Pushgateway: what the starter gets right for
 * remote partitioning and remote chunking today and must keep getting right.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutIT {

	private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

	@RegisterExtension
	static final ScaleOutCluster cluster = ScaleOutCluster.withWorkers(2);

	@Test
	@Order(1)
	void partitionedJobCompletesAndTheGatewayCountsWhatTheRepositoryHolds() {
		// when
		try (ExampleJvm manager = cluster.startManager("partitionedJob", "--scale-out.items=400",
				"--scale-out.grid-size=4", "--scale-out.item-delay=5ms")) {
			int exitCode = manager.awaitExit(RUN_TIMEOUT);

			// then
			assertThat(exitCode).as(manager.logTail()).isZero();
		}
		long execution = cluster.lastJobExecutionId("partitionedJob");
		assertThat(cluster.jobStatus(execution)).isEqualTo("COMPLETED");
		long written = cluster.stepSum(execution, "write_count", "LIKE 'partitionedWorkerStep:partition%'");
		assertThat(written).isEqualTo(400);
		assertThat(cluster.stepSum(execution, "write_count", "= 'partitionedManagerStep'")).isEqualTo(written);
		assertThat(cluster.gatewayValue("batch_job_status", "partitionedJob", Map.of("status", "COMPLETED")))
			.isEqualTo(1.0);
		assertThat(cluster.gatewayValue("batch_step_written_items_total", "partitionedJob",
				Map.of("step", "partitionedManagerStep")))
			.isEqualTo(written);
		assertThat(cluster.gatewayValue("batch_step_read_items_total", "partitionedJob",
				Map.of("step", "partitionedManagerStep")))
			.isEqualTo(cluster.stepSum(execution, "read_count", "LIKE 'partitionedWorkerStep:partition%'"));
	}

	@Test
	@Order(2)
	void chunkedJobCompletesAndTheGatewayCountsWhatTheRepositoryHolds() {
		// given
		long rowsBefore = cluster.processedItemRows();

		// when
		try (ExampleJvm manager = cluster.startManager("chunkedJob", "--scale-out.items=300",
				"--scale-out.item-delay=5ms")) {
			int exitCode = manager.awaitExit(RUN_TIMEOUT);

			// then
			assertThat(exitCode).as(manager.logTail()).isZero();
		}
		long execution = cluster.lastJobExecutionId("chunkedJob");
		assertThat(cluster.jobStatus(execution)).isEqualTo("COMPLETED");
		assertThat(cluster.processedItemRows() - rowsBefore).as("items the workers wrote").isEqualTo(300);
		// The workers' counts come back in the replies into the manager's step execution.
		// (Spring Batch 6.0.4 counts each item there twice, once when the chunk is sent and
		// once from the reply: the gateway shows what the repository holds.)
		assertThat(cluster.stepSum(execution, "read_count", "= 'chunkedManagerStep'")).isEqualTo(300);
		assertThat(cluster.gatewayValue("batch_job_status", "chunkedJob", Map.of("status", "COMPLETED")))
			.isEqualTo(1.0);
		assertThat(cluster.gatewayValue("batch_step_written_items_total", "chunkedJob",
				Map.of("step", "chunkedManagerStep")))
			.isEqualTo(cluster.stepSum(execution, "write_count", "= 'chunkedManagerStep'"));
		assertThat(cluster.gatewayValue("batch_step_read_items_total", "chunkedJob",
				Map.of("step", "chunkedManagerStep")))
			.isEqualTo(300);
	}

	@Test
	@Order(3) // last: the stopped job's unstarted partition requests stay in the queue
	void sigtermToTheManagerMidRunEndsTheJobStopped() {
		// given
		try (ExampleJvm manager = cluster.startManager("partitionedJob", "--scale-out.items=2000",
				"--scale-out.grid-size=4", "--scale-out.item-delay=20ms")) {
			cluster.awaitRunningPartitions(manager, 1, RUN_TIMEOUT);

			// when
			manager.terminate();
			manager.awaitExit(RUN_TIMEOUT);
		}

		// then
		long execution = cluster.lastJobExecutionId("partitionedJob");
		assertThat(cluster.jobStatus(execution)).isEqualTo("STOPPED");
		assertThat(cluster.gatewayValue("batch_job_status", "partitionedJob", Map.of("status", "STOPPED")))
			.isEqualTo(1.0);
		assertThat(cluster.gatewayValue("batch_job_running", "partitionedJob", Map.of())).isZero();
	}

}
