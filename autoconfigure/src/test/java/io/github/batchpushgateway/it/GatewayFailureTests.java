package io.github.batchpushgateway.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.batchpushgateway.testsupport.PushgatewayServer;
import io.github.batchpushgateway.testsupport.ScrapedMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a job sees when its Pushgateway is down or hangs: nothing but its own outcome, a bounded
 * wait at its end, one WARN for the outage, and its state delivered once the gateway is back.
 */
@ExtendWith(OutputCaptureExtension.class)
class GatewayFailureTests {

	private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);

	private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(2);

	/**
	 * Allowance for a loaded build machine on top of the job's own time and the flush budget. A
	 * job that waited for its final push without the budget would take the whole retry sequence
	 * (9 attempts of {@link #READ_TIMEOUT} against a hanging gateway), well above the bound.
	 */
	private static final Duration MARGIN = Duration.ofSeconds(3);

	private static final String PASSWORD = "pa55-Wd-never-logged";

	private static final String TOKEN = "t0ken-never-logged";

	private static final Map<String, String> JOB = Map.of("job", "twoStepJob");

	/** The longest a run of the job takes with the starter disabled: what the job itself costs. */
	private static Duration jobAlone;

	@BeforeAll
	static void measureTheJobWithoutTheStarter() {
		try (TestBatchApplication application = TestBatchApplication.start("127.0.0.1:9",
				"batch.pushgateway.enabled=false")) {
			application.run("twoStepJob", items(40));
			Duration longest = Duration.ZERO;
			for (int i = 0; i < 3; i++) {
				Timed run = Timed.run(application, items(40));
				longest = (run.elapsed().compareTo(longest) > 0) ? run.elapsed() : longest;
			}
			jobAlone = longest;
		}
	}

	@Test
	void jobsKeepTheirOutcomeWhileTheGatewayIsDownAndTheirStateLandsWhenItIsBack(CapturedOutput output) {
		try (PushgatewayServer gateway = PushgatewayServer.start();
				TestBatchApplication application = TestBatchApplication.start(gateway.address(),
						failureSettings("batch.pushgateway.username=batch", "batch.pushgateway.password=" + PASSWORD))) {
			// given a gateway that received a first run, then went down (its port closed)
			assertThat(application.run("twoStepJob", items(40)).getStatus()).isEqualTo(BatchStatus.COMPLETED);
			assertThat(gateway.metrics().require("batch_job_status", Map.of("job", "twoStepJob", "status", "COMPLETED")))
				.isEqualTo(1);
			MeterRegistry registry = application.bean(MeterRegistry.class);
			double successesBeforeOutage = pushes(registry, "success");
			assertThat(successesBeforeOutage).isPositive();
			assertThat(pushes(registry, "failure")).isZero();
			gateway.stop();

			// when jobs run (start, step ends, end) while it is down,
			// then each ends with its own outcome, delayed by at most the flush budget
			JobExecution failed = runACompletingAndAFailingJobWithinTheFlushBudget(application);
			// and the outage is logged once, with the address and the cause
			String address = "http://" + gateway.address();
			await().atMost(Duration.ofSeconds(10)).until(() -> outageWarnings(output).size() == 1);
			assertThat(outageWarnings(output)).singleElement()
				.asString()
				.contains(address)
				.containsIgnoringCase("connection refused");
			// and counted
			assertThat(pushes(registry, "failure")).isGreaterThanOrEqualTo(3);
			assertThat(pushes(registry, "success")).isEqualTo(successesBeforeOutage);

			// when the gateway is back (empty) and the next job runs
			gateway.startAgain();
			Timed recovered = Timed.run(application, items(40));

			// then its state lands, with the failure that happened during the outage
			ScrapedMetrics metrics = gateway.metrics();
			assertThat(metrics.require("batch_job_status", Map.of("job", "twoStepJob", "status", "COMPLETED")))
				.isEqualTo(1);
			assertThat(metrics.require("batch_job_last_success_timestamp_seconds", JOB))
				.isCloseTo(JobLifecyclePushTests.epochSeconds(recovered.execution()), Offset.offset(0.001));
			assertThat(metrics.require("batch_job_last_failure_timestamp_seconds", JOB))
				.isCloseTo(JobLifecyclePushTests.epochSeconds(failed), Offset.offset(0.001));
			// and the recovery is logged at INFO, the outage still with one WARN
			assertThat(lines(output, " INFO ", "succeed again")).singleElement().asString().contains(address);
			assertThat(outageWarnings(output)).hasSize(1);
			assertThat(pushes(registry, "success")).isGreaterThan(successesBeforeOutage);
			// and the credentials were never written
			assertThat(output.getAll()).doesNotContain(PASSWORD)
				.doesNotContain(base64("batch:" + PASSWORD));
		}
	}

	@Test
	void jobsKeepTheirOutcomeWhenTheGatewayAcceptsConnectionsAndNeverAnswers(CapturedOutput output) {
		try (HangingGateway gateway = HangingGateway.start();
				TestBatchApplication application = TestBatchApplication.start(gateway.address(),
						failureSettings("batch.pushgateway.token=" + TOKEN, "batch.pushgateway.retry.max-retries=8",
								"batch.pushgateway.retry.max-delay=200ms"))) {
			// given a gateway that accepts connections and never answers

			// when jobs run against it,
			// then each ends with its own outcome, delayed by at most the flush budget
			runACompletingAndAFailingJobWithinTheFlushBudget(application);
			assertThat(gateway.connections()).isPositive();
			// and the outage is logged once, with the address and the timeout as its cause
			await().atMost(Duration.ofSeconds(10)).until(() -> outageWarnings(output).size() == 1);
			assertThat(outageWarnings(output)).singleElement()
				.asString()
				.contains("http://" + gateway.address())
				.containsIgnoringCase("timed out");
			// and counted, never as a success
			MeterRegistry registry = application.bean(MeterRegistry.class);
			assertThat(pushes(registry, "failure")).isGreaterThanOrEqualTo(1);
			assertThat(pushes(registry, "success")).isZero();
			// and the token was never written
			assertThat(output.getAll()).doesNotContain(TOKEN);
		}
	}

	private static String[] failureSettings(String... more) {
		List<String> settings = new ArrayList<>(List.of("batch.pushgateway.read-timeout=" + READ_TIMEOUT.toMillis() + "ms",
				"batch.pushgateway.connect-timeout=1s", "batch.pushgateway.flush-timeout=" + FLUSH_TIMEOUT.toMillis() + "ms",
				"spring.main.sources=" + SelfMonitoring.class.getName()));
		settings.addAll(List.of(more));
		return settings.toArray(String[]::new);
	}

	/**
	 * Runs a job that completes and one that fails, checks each keeps its own outcome and is
	 * delayed by at most the flush budget, and returns the failed execution.
	 */
	private static JobExecution runACompletingAndAFailingJobWithinTheFlushBudget(TestBatchApplication application) {
		Timed completed = Timed.run(application, items(40));
		Timed failed = Timed.run(application, failing());
		assertThat(completed.execution().getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(failed.execution().getStatus()).isEqualTo(BatchStatus.FAILED);
		assertWithinFlushBudget(completed);
		assertWithinFlushBudget(failed);
		return failed.execution();
	}

	private static void assertWithinFlushBudget(Timed run) {
		Duration bound = jobAlone.plus(FLUSH_TIMEOUT).plus(MARGIN);
		JobExecution execution = run.execution();
		Duration recorded = Duration.between(execution.getStartTime(), execution.getEndTime());
		assertThat(run.elapsed()).as("time in run() (job alone: %s)", jobAlone).isLessThanOrEqualTo(bound);
		assertThat(recorded).as("end - start of the execution (job alone: %s)", jobAlone).isLessThanOrEqualTo(bound);
	}

	private static List<String> outageWarnings(CapturedOutput output) {
		return lines(output, " WARN ", "Pushgateway");
	}

	private static List<String> lines(CapturedOutput output, String level, String text) {
		return output.getAll().lines().filter((line) -> line.contains(level) && line.contains(text)).toList();
	}

	private static double pushes(MeterRegistry registry, String outcome) {
		Counter counter = registry.find("batch.pushgateway.pushes")
			.tags("outcome", outcome, "batch.job", "twoStepJob")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static JobParameters items(long items) {
		return new JobParametersBuilder().addLong("items", items).toJobParameters();
	}

	private static JobParameters failing() {
		return new JobParametersBuilder().addLong("items", 40L).addString("fail", "true").toJobParameters();
	}

	private static String base64(String text) {
		return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

	/** One run of {@code twoStepJob} and the time the caller spent in it. */
	record Timed(JobExecution execution, Duration elapsed) {

		static Timed run(TestBatchApplication application, JobParameters parameters) {
			long start = System.nanoTime();
			JobExecution execution = application.run("twoStepJob", parameters);
			return new Timed(execution, Duration.ofNanos(System.nanoTime() - start));
		}

	}

	/** The application's registry, where the starter counts its pushes. */
	@Configuration(proxyBeanMethods = false)
	static class SelfMonitoring {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	/**
	 * A server that accepts connections on a free loopback port, reads nothing and never
	 * answers: the one fault a real Pushgateway does not produce.
	 */
	static final class HangingGateway implements AutoCloseable {

		private final ServerSocket serverSocket;

		private final List<Socket> accepted = new CopyOnWriteArrayList<>();

		private HangingGateway(ServerSocket serverSocket) {
			this.serverSocket = serverSocket;
			Thread acceptor = new Thread(this::acceptUntilClosed, "hanging-gateway");
			acceptor.setDaemon(true);
			acceptor.start();
		}

		static HangingGateway start() {
			try {
				return new HangingGateway(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		String address() {
			return "127.0.0.1:" + this.serverSocket.getLocalPort();
		}

		int connections() {
			return this.accepted.size();
		}

		private void acceptUntilClosed() {
			while (!this.serverSocket.isClosed()) {
				try {
					// Held open, unread, so the client waits for an answer until its read timeout.
					this.accepted.add(this.serverSocket.accept());
				}
				catch (IOException ex) {
					return;
				}
			}
		}

		@Override
		public void close() {
			try {
				this.serverSocket.close();
				for (Socket socket : this.accepted) {
					socket.close();
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
