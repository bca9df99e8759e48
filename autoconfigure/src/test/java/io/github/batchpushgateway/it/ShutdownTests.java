package io.github.batchpushgateway.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.batchpushgateway.testsupport.PushgatewayServer;
import org.h2.tools.Server;
import io.github.batchpushgateway.testsupport.ScrapedMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the gateway shows when a batch process ends before its job does: SIGTERM (a Kubernetes
 * eviction, {@code systemctl stop}) mid-job, and a job repository that fails at the job's end so
 * Spring Batch skips afterJob. Each runs {@link ShutdownTestApplication} in a JVM of its own, as
 * {@code java -jar} would.
 */
class ShutdownTests {

	/**
	 * Cases that call no API beyond those the other cases call, left out on Spring Boot 4.1
	 * (spring-boot-4.1-tests) since each costs a JVM or two.
	 */
	static final String SAME_ON_BOOT_4_1 = "same-on-boot-4.1";

	private static final Map<Process, Path> logs = new java.util.concurrent.ConcurrentHashMap<>();

	private static PushgatewayServer gateway;

	/**
	 * The job repository's database server, in this JVM: what the terminated process committed is
	 * there, as with any database server, whatever the process did not get to close.
	 */
	private static Server databaseServer;

	@BeforeAll
	static void start() throws Exception {
		gateway = PushgatewayServer.start();
		databaseServer = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
	}

	/** The databases the test's processes used, closed before JUnit deletes their directory. */
	private final List<Path> databases = new ArrayList<>();

	/**
	 * Closes the test's databases on the server. The server notices a terminated client's sockets
	 * only later, and then closes the database, writing its file; were that to happen while JUnit
	 * deletes the temporary directory, the deletion would fail (it did once in CI).
	 */
	@AfterEach
	void closeDatabases() throws Exception {
		for (Path database : this.databases) {
			try (Connection connection = DriverManager.getConnection(url(database), "sa", "")) {
				connection.createStatement().execute("SHUTDOWN");
			}
		}
	}

	@AfterAll
	static void stop() {
		gateway.close();
		databaseServer.stop();
	}

	@Test
	void sigtermStopsAChunkJobThroughSpringBatchSoTheGatewayAndTheRepositoryShowStopped(@TempDir Path directory)
			throws Exception {
		// given a chunk job running in its own process
		Path database = directory.resolve("batch");
		Process process = launch("slowChunkJob", database);
		Map<String, String> job = Map.of("job", "slowChunkJob");
		awaitRunning(process, job);

		// when the process is terminated
		int exitCode = terminate(process);

		// then the gateway shows it stopped, no longer running, and the repository agrees (restartable)
		ScrapedMetrics after = gateway.metrics();
		assertThat(after.require("batch_job_running", job)).isEqualTo(0);
		assertThat(after.require("batch_job_status", Map.of("job", "slowChunkJob", "status", "STOPPED")))
			.as("STOPPED, process log:%n%s", log(process))
			.isEqualTo(1);
		assertThat(after.require("batch_job_status", Map.of("job", "slowChunkJob", "status", "COMPLETED"))).isEqualTo(0);
		assertThat(after.require("batch_job_exit_info", Map.of("job", "slowChunkJob", "exit_code", "STOPPED")))
			.isEqualTo(1);
		assertThat(repositoryStatus(database, "slowChunkJob")).as("process log:%n%s", log(process)).isEqualTo("STOPPED");
		assertThat(exitCode).as("exit code of a terminated JVM").isNotZero();
	}

	@Test
	@Tag(SAME_ON_BOOT_4_1)
	void sigtermDuringATaskletThatCannotStopEndsItStoppedInTheRepositoryAndTheGateway(@TempDir Path directory)
			throws Exception {
		// given a tasklet that sleeps through any stop request
		Path database = directory.resolve("batch");
		Process process = launch("sleepingJob", database);
		Map<String, String> job = Map.of("job", "sleepingJob");
		awaitRunning(process, job);

		// when the process is terminated
		terminate(process);

		// then, once half the flush timeout has passed, the repository saves it stopped (restartable)
		// and the gateway shows that, no longer running, never COMPLETED
		ScrapedMetrics after = gateway.metrics();
		assertThat(after.require("batch_job_running", job)).as("running, process log:%n%s", log(process)).isEqualTo(0);
		assertThat(repositoryStatus(database, "sleepingJob")).as("process log:%n%s", log(process)).isEqualTo("STOPPED");
		assertThat(repositoryStepStatus(database, "sleep")).as("the step, process log:%n%s", log(process))
			.isEqualTo("STOPPED");
		assertThat(after.require("batch_job_status", Map.of("job", "sleepingJob", "status", "STOPPED"))).isEqualTo(1);
		assertThat(after.require("batch_job_status", Map.of("job", "sleepingJob", "status", "COMPLETED"))).isEqualTo(0);

		// and a restart of the instance, as the STOPPED status advises, completes it
		Process restart = launch("sleepingJob", database, "--sleep-millis=10");
		assertThat(restart.waitFor(60, TimeUnit.SECONDS)).as("restart exited").isTrue();
		assertThat(restart.exitValue()).as("restart's exit code, its log:%n%s", log(restart)).isZero();
		assertThat(gateway.metrics().require("batch_job_status", Map.of("job", "sleepingJob", "status", "COMPLETED")))
			.as("restart's log:%n%s", log(restart))
			.isEqualTo(1);
	}

	@Test
	@Tag(SAME_ON_BOOT_4_1)
	void sigtermWithoutTheGracefulStopPushesTheJobAsInterruptedWithinTheFlushTimeout(@TempDir Path directory)
			throws Exception {
		// given a tasklet that sleeps, in an application that does not stop jobs at shutdown
		Process process = launch("sleepingJob", directory.resolve("batch"),
				"--batch.pushgateway.stop-jobs-on-shutdown=false");
		Map<String, String> job = Map.of("job", "sleepingJob");
		awaitRunning(process, job);

		// when the process is terminated
		long start = System.nanoTime();
		terminate(process);
		Duration took = Duration.ofNanos(System.nanoTime() - start);

		// then it is shown interrupted, not running, never COMPLETED, and the process ended within the budget
		ScrapedMetrics after = gateway.metrics();
		assertThat(after.require("batch_job_running", job)).as("running, process log:%n%s", log(process)).isEqualTo(0);
		assertThat(after.require("batch_job_status", Map.of("job", "sleepingJob", "status", "UNKNOWN"))).isEqualTo(1);
		assertThat(after.require("batch_job_status", Map.of("job", "sleepingJob", "status", "COMPLETED"))).isEqualTo(0);
		assertThat(after.require("batch_job_exit_info", Map.of("job", "sleepingJob", "exit_code", "INTERRUPTED")))
			.isEqualTo(1);
		assertThat(took).isLessThan(Duration.ofSeconds(20));
	}

	@Test
	void aJobWhoseEndTheRepositoryFailedToSaveEndsInTheGatewayBeforeTheProcessExits(@TempDir Path directory)
			throws Exception {
		// when a job ends, its repository fails to save the end, and the process exits at once
		Process process = launch("endNotSavedJob", directory.resolve("batch"));
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("process exited").isTrue();

		// then the gateway does not show it running for ever, nor an outcome its repository never got
		Map<String, String> job = Map.of("job", "endNotSavedJob");
		ScrapedMetrics after = gateway.metrics();
		assertThat(after.require("batch_job_running", job)).as("running, process log:%n%s", log(process)).isEqualTo(0);
		assertThat(after.require("batch_job_status", Map.of("job", "endNotSavedJob", "status", "STARTED"))).isEqualTo(0);
		assertThat(after.require("batch_job_status", Map.of("job", "endNotSavedJob", "status", "UNKNOWN")))
			.as("UNKNOWN, process log:%n%s", log(process))
			.isEqualTo(1);
		assertThat(after.require("batch_job_status", Map.of("job", "endNotSavedJob", "status", "COMPLETED"))).isEqualTo(0);
		assertThat(after.value("batch_job_last_success_timestamp_seconds", job)).as("a success nobody recorded").isEmpty();
		assertThat(Files.readString(logs.get(process))).contains("ended COMPLETED but its job repository does not show that end");
	}

	private Process launch(String jobName, Path database, String... arguments) throws IOException {
		this.databases.add(database);
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				// Start fast on a loaded machine (half the CPU of a default start): the test waits
				// for the job and its shutdown, not for the JIT.
				"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
				"-cp", System.getProperty("java.class.path"), ShutdownTestApplication.class.getName(),
				"--spring.batch.job.name=" + jobName,
				"--spring.datasource.url=" + url(database),
				"--spring.batch.jdbc.initialize-schema=always", "--spring.main.banner-mode=off",
				"--batch.pushgateway.address=" + gateway.address(), "--batch.pushgateway.progress-interval=200ms",
				"--spring.datasource.username=sa", "--batch.pushgateway.flush-timeout=10s"));
		command.addAll(List.of(arguments));
		File log = Files.createTempFile("shutdown-test-", ".log").toFile();
		log.deleteOnExit();
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
		logs.put(process, log.toPath());
		return process;
	}

	/** The end of a process's output, for failure messages. */
	private static String log(Process process) {
		try {
			List<String> lines = Files.readAllLines(logs.get(process))
				.stream()
				.filter((line) -> !line.startsWith("\tat ") && !line.startsWith("\t... "))
				.toList();
			return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex + ")";
		}
	}

	private static void awaitRunning(Process process, Map<String, String> job) {
		await().atMost(Duration.ofSeconds(60)).until(() -> {
			assertThat(process.isAlive()).as("process alive, log:%n%s", log(process)).isTrue();
			return gateway.metrics().value("batch_job_running", job).orElse(0.0) == 1
					&& gateway.metrics().value("batch_step_status", stepStarted(job)).orElse(0.0) == 1;
		});
	}

	private static Map<String, String> stepStarted(Map<String, String> job) {
		return Map.of("job", job.get("job"), "status", "STARTED");
	}

	private static int terminate(Process process) throws InterruptedException {
		process.destroy();
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError("process did not end after SIGTERM");
		}
		return process.exitValue();
	}

	private static String url(Path file) {
		return "jdbc:h2:tcp://127.0.0.1:" + databaseServer.getPort() + "/" + file;
	}

	private static String repositoryStepStatus(Path database, String stepName) throws Exception {
		try (Connection connection = DriverManager.getConnection(url(database), "sa", "");
				ResultSet result = connection.createStatement()
					.executeQuery("SELECT STATUS FROM BATCH_STEP_EXECUTION WHERE STEP_NAME = '" + stepName + "'")) {
			assertThat(result.next()).as("an execution of step " + stepName).isTrue();
			return result.getString(1);
		}
	}

	private static String repositoryStatus(Path database, String jobName) throws Exception {
		try (Connection connection = DriverManager.getConnection(url(database), "sa", "");
				ResultSet result = connection.createStatement()
					.executeQuery("SELECT e.STATUS FROM BATCH_JOB_EXECUTION e JOIN BATCH_JOB_INSTANCE i"
							+ " ON e.JOB_INSTANCE_ID = i.JOB_INSTANCE_ID WHERE i.JOB_NAME = '" + jobName + "'")) {
			assertThat(result.next()).as("an execution of " + jobName).isTrue();
			return result.getString(1);
		}
	}

}
