package io.github.batchpushgateway.it;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.batchpushgateway.testsupport.NodeExporterServer;
import io.github.batchpushgateway.testsupport.PrometheusServer;
import io.github.batchpushgateway.testsupport.Promtool;
import io.github.batchpushgateway.testsupport.PushgatewayServer;
import io.github.batchpushgateway.testsupport.ScrapedMetrics;
import io.github.batchpushgateway.testsupport.ToolResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One job state delivered to several targets: two real Pushgateways, and node exporter's
 * textfile collector scraped by a real Prometheus.
 */
@ExtendWith(OutputCaptureExtension.class)
class MultipleTargetsTests {

	private static final Map<String, String> JOB = Map.of("job", "twoStepJob");

	@Test
	void everyGatewayGetsEveryPushAndOneThatStopsMidRunDelaysNeitherTheOtherNorTheJob(CapturedOutput output)
			throws Exception {
		try (PushgatewayServer first = PushgatewayServer.start(); PushgatewayServer second = PushgatewayServer.start();
				TestBatchApplication application = TestBatchApplication.startWithTargets(
						"batch.pushgateway.addresses=" + first.address() + ","
								+ second.address(),
						"batch.pushgateway.flush-timeout=3s", "batch.pushgateway.connect-timeout=500ms")) {
			// given a run held mid-way, whose start both gateways have
			Gate gate = application.bean(Gate.class);
			gate.arm(21);
			CompletableFuture<JobExecution> run = CompletableFuture.supplyAsync(() -> application.run("twoStepJob",
					new JobParametersBuilder().addLong("items", 40L).toJobParameters()));
			gate.awaitHeld(Duration.ofSeconds(30));
			await().atMost(Duration.ofSeconds(10)).until(() -> running(first) && running(second));

			// when the second gateway goes away and the job ends
			second.stop();
			long start = System.nanoTime();
			gate.open();
			JobExecution finished = run.get(30, TimeUnit.SECONDS);
			Duration ending = Duration.ofNanos(System.nanoTime() - start);

			// then the first gateway has the final state, and the job's end waited at most its budget
			assertThat(finished.getStatus()).isEqualTo(BatchStatus.COMPLETED);
			ScrapedMetrics state = first.metrics();
			assertThat(state.require("batch_job_running", JOB)).isEqualTo(0);
			assertThat(state.require("batch_job_status", Map.of("job", "twoStepJob", "status", "COMPLETED")))
				.isEqualTo(1);
			assertThat(ending).isLessThan(Duration.ofSeconds(3).plusSeconds(2));
			assertThat(output.getOut()).contains("Pushes to the Pushgateway at " + second.url() + " are failing")
				.doesNotContain("Pushes to the Pushgateway at " + first.url() + " are failing");
		}
	}

	@Test
	void aGatewayThatHangsDelaysNeitherTheOtherGatewayNorTheJobBeyondTheFlushTimeout() throws Exception {
		// A gateway that accepts connections and never answers: a fault a real one does not produce
		try (PushgatewayServer gateway = PushgatewayServer.start();
				ServerSocket hanging = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
				TestBatchApplication application = TestBatchApplication.startWithTargets(
						"batch.pushgateway.addresses=" + gateway.address() + ",127.0.0.1:" + hanging.getLocalPort(),
						"batch.pushgateway.flush-timeout=2s", "batch.pushgateway.read-timeout=60s")) {
			List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
			Thread acceptor = new Thread(() -> {
				while (!hanging.isClosed()) {
					try {
						accepted.add(hanging.accept());
					}
					catch (java.io.IOException ex) {
						return;
					}
				}
			});
			acceptor.setDaemon(true);
			acceptor.start();

			// when a job runs to its end
			long start = System.nanoTime();
			CompletableFuture<JobExecution> run = CompletableFuture.supplyAsync(() -> application.run("twoStepJob",
					new JobParametersBuilder().addLong("items", 40L).toJobParameters()));
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> gateway.metrics().value("batch_job_last_success_timestamp_seconds", JOB).isPresent());
			Duration delivered = Duration.ofNanos(System.nanoTime() - start);
			JobExecution finished = run.get(30, TimeUnit.SECONDS);
			Duration ended = Duration.ofNanos(System.nanoTime() - start);

			// then the real gateway had the end long before the job's end gave up on the hanging one,
			// which took the flush timeout, no more
			System.out.printf("Two gateways, one hanging: final state in the other after %d ms, job ended after %d ms "
					+ "(flush-timeout 2000 ms)%n", delivered.toMillis(), ended.toMillis());
			assertThat(finished.getStatus()).isEqualTo(BatchStatus.COMPLETED);
			assertThat(accepted).as("pushes reached the hanging gateway").isNotEmpty();
			assertThat(gateway.metrics().require("batch_job_running", JOB)).isEqualTo(0);
			assertThat(delivered).isLessThan(ended);
			assertThat(ended).isGreaterThanOrEqualTo(Duration.ofSeconds(2)).isLessThan(Duration.ofSeconds(2).plusSeconds(3));
			for (Socket socket : accepted) {
				socket.close();
			}
		}
	}

	@Test
	void theTextfileCollectorShowsTheRunAsTheJobRepositoryHasIt(@TempDir Path textfiles) throws Exception {
		try (NodeExporterServer nodeExporter = NodeExporterServer.start(textfiles);
				PrometheusServer prometheus = PrometheusServer.start(nodeExporterScrape(nodeExporter.address()));
				TestBatchApplication application = TestBatchApplication.startWithTargets(
						"batch.pushgateway.textfile.directory=" + textfiles)) {
			// when a job runs with the textfile collector as its only target
			JobExecution execution = application.run("twoStepJob",
					new JobParametersBuilder().addLong("items", 40L).toJobParameters());

			// then one lint-clean .prom file holds its state, with the job's name in every sample
			List<Path> files;
			try (var listing = Files.list(textfiles)) {
				files = listing.toList();
			}
			assertThat(files).singleElement().satisfies((file) -> assertThat(file.toString()).endsWith(".prom"));
			ToolResult lint = Promtool.checkMetrics(Files.readString(files.get(0)));
			assertThat(lint.output()).isBlank();

			// and Prometheus, scraping node exporter, sees the values of the step executions
			StepExecution importStep = execution.getStepExecutions()
				.stream()
				.filter((step) -> step.getStepName().equals("importStep"))
				.findFirst()
				.orElseThrow();
			List<PrometheusServer.QueryResult> read = prometheus.awaitQuery(
					"batch_step_read_items_total{job=\"twoStepJob\",step=\"importStep\"}", (results) -> !results.isEmpty(),
					Duration.ofSeconds(30));
			assertThat(read).singleElement()
				.satisfies((result) -> assertThat(result.value()).isEqualTo(importStep.getReadCount()));
			assertThat(prometheus.query("batch_step_written_items_total{job=\"twoStepJob\",step=\"importStep\"}"))
				.singleElement()
				.satisfies((result) -> assertThat(result.value()).isEqualTo(importStep.getWriteCount()));
			assertThat(prometheus.query("batch_job_status{job=\"twoStepJob\",status=\"COMPLETED\"}")).singleElement()
				.satisfies((result) -> assertThat(result.value()).isEqualTo(1));
		}
	}

	@Test
	void theTextfileKeepsTheLastSuccessAcrossApplicationRestarts(@TempDir Path textfiles) {
		double success;
		try (TestBatchApplication first = TestBatchApplication.startWithTargets(
				"batch.pushgateway.textfile.directory=" + textfiles)) {
			first.run("twoStepJob", new JobParametersBuilder().toJobParameters());
			success = lastSuccess(textfiles);
		}
		try (TestBatchApplication second = TestBatchApplication.startWithTargets(
				"batch.pushgateway.textfile.directory=" + textfiles)) {
			second.run("twoStepJob", new JobParametersBuilder().addString("fail", "true").toJobParameters());
		}
		assertThat(lastSuccess(textfiles)).isEqualTo(success);
	}

	private static double lastSuccess(Path textfiles) {
		try (var listing = Files.list(textfiles)) {
			String text = Files.readString(listing.findFirst().orElseThrow());
			return ScrapedMetrics.parse(text).require("batch_job_last_success_timestamp_seconds", JOB);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static boolean running(PushgatewayServer gateway) {
		return gateway.metrics().value("batch_job_running", JOB).orElse(0.0) == 1;
	}

	private static String nodeExporterScrape(String address) {
		return """
				global:
				  scrape_interval: 500ms
				scrape_configs:
				  - job_name: node
				    # the textfile's samples carry job="<batch job>": keep it
				    honor_labels: true
				    static_configs:
				      - targets: ['%s']
				""".formatted(address);
	}

}
