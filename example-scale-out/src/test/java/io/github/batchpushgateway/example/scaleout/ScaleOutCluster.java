package io.github.batchpushgateway.example.scaleout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.batchpushgateway.testsupport.FreePorts;
import io.github.batchpushgateway.testsupport.PrometheusServer;
import io.github.batchpushgateway.testsupport.PushgatewayServer;
import io.github.batchpushgateway.testsupport.Teardown;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * Everything a scaled-out job runs on, for real: PostgreSQL (the shared job repository),
 * RabbitMQ (the broker), a Pushgateway, Prometheus with the project's alert rules
 * scraping the gateway and the workers, and worker JVMs of the example. Managers are
 * started by each test.
 *
 * <p>
 * A test class registers one as a static {@code @RegisterExtension} field. PostgreSQL and
 * RabbitMQ, the slowest to start, serve every class of the test run
 * ({@link ScaleOutServers}); each class gets a database of its own, emptied queues, its
 * own gateway, Prometheus and worker JVMs, so that no class sees another's executions,
 * messages, groups, alerts or workers (a class may kill its workers).
 */
final class ScaleOutCluster implements BeforeAllCallback, AfterAllCallback {

	static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

	static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(1);

	private static final Namespace NAMESPACE = Namespace.create(ScaleOutCluster.class);

	private final int workerCount;

	private final List<String> starterArguments;

	private final List<Integer> workerPorts = new ArrayList<>();

	private final List<ExampleJvm> workers = new ArrayList<>();

	private ScaleOutServers servers;

	private String database;

	private List<String> commonArguments;

	private Path logs;

	private PushgatewayServer gateway;

	private PrometheusServer prometheus;

	private int managers;

	private ScaleOutCluster(int workerCount, List<String> starterArguments) {
		this.workerCount = workerCount;
		this.starterArguments = starterArguments;
	}

	/**
	 * A cluster for a test class, started before its tests and closed after them.
	 * @param workerCount how many worker JVMs
	 * @param starterArguments extra arguments for every JVM (starter settings)
	 * @return the extension to register
	 */
	static ScaleOutCluster withWorkers(int workerCount, String... starterArguments) {
		return new ScaleOutCluster(workerCount, List.of(starterArguments));
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		this.servers = context.getRoot()
			.getStore(NAMESPACE)
			.computeIfAbsent(ScaleOutServers.class, (key) -> ScaleOutServers.start(), ScaleOutServers.class);
		String testClass = context.getRequiredTestClass().getSimpleName();
		this.database = testClass.toLowerCase(Locale.ROOT);
		this.logs = createLogDirectory(testClass);
		try {
			String jdbcUrl = this.servers.createDatabase(this.database);
			// Messages a class before left (requests of a stopped job) would reach these workers.
			this.servers.deleteQueues();
			for (int i = 0; i < this.workerCount; i++) {
				this.workerPorts.add(FreePorts.next());
			}
			this.gateway = PushgatewayServer.start();
			this.prometheus = PrometheusServer.start(prometheusConfig());
			this.commonArguments = new ArrayList<>(List.of(this.servers.connectionArguments(jdbcUrl)));
			this.commonArguments.add("--batch.pushgateway.address=" + this.gateway.address());
			this.commonArguments.addAll(this.starterArguments);
			startWorkers();
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		close();
	}

	private void startWorkers() {
		for (int i = 0; i < this.workerPorts.size(); i++) {
			List<String> arguments = new ArrayList<>(this.commonArguments);
			arguments.add("--spring.profiles.active=worker");
			arguments.add("--server.port=" + this.workerPorts.get(i));
			this.workers.add(ExampleJvm.start("worker-" + (i + 1), this.logs, arguments));
		}
		for (int i = 0; i < this.workers.size(); i++) {
			this.workers.get(i).awaitHealthy(this.workerPorts.get(i), Duration.ofSeconds(180));
		}
	}

	/**
	 * Start a manager that runs one job.
	 * @param job {@code partitionedJob} or {@code chunkedJob}
	 * @param arguments the job's shape, such as {@code --scale-out.items=400}
	 * @return the manager process
	 */
	ExampleJvm startManager(String job, String... arguments) {
		List<String> command = new ArrayList<>(this.commonArguments);
		command.add("--spring.profiles.active=manager");
		command.add("--spring.batch.job.name=" + job);
		command.addAll(List.of(arguments));
		return ExampleJvm.start("manager-" + (++this.managers), this.logs, command);
	}

	ExampleJvm worker(int index) {
		return this.workers.get(index);
	}

	PushgatewayServer gateway() {
		return this.gateway;
	}

	PrometheusServer prometheus() {
		return this.prometheus;
	}

	/**
	 * Run a query in the class's job repository.
	 * @return rows separated by new lines, columns by {@code |}
	 */
	String query(String sql) {
		return this.servers.query(this.database, sql);
	}

	/**
	 * The newest execution of a job, from the shared job repository.
	 */
	long lastJobExecutionId(String job) {
		return Long.parseLong(query("SELECT max(e.job_execution_id) FROM batch_job_execution e "
				+ "JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id WHERE i.job_name = '" + job
				+ "'"));
	}

	/**
	 * Wait until a number of partitions run at once and have committed, read from the job
	 * repository (whose schema the manager may still be creating).
	 */
	void awaitRunningPartitions(ExampleJvm manager, int partitions, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		String lastProblem = "none running";
		while (System.nanoTime() < deadline) {
			if (!manager.isAlive()) {
				throw new AssertionError(manager + " exited" + manager.logTail());
			}
			try {
				long running = Long.parseLong(query("SELECT count(*) FROM batch_step_execution s "
						+ "JOIN batch_job_execution e ON e.job_execution_id = s.job_execution_id "
						+ "WHERE e.status = 'STARTED' AND s.status = 'STARTED' "
						+ "AND s.step_name LIKE 'partitionedWorkerStep:%' AND s.write_count > 0"));
				if (running >= partitions) {
					return;
				}
				lastProblem = running + " running";
			}
			catch (IllegalStateException ex) {
				lastProblem = ex.getMessage(); // no schema yet
			}
			ExampleJvm.sleep(Duration.ofMillis(250));
		}
		throw new AssertionError(partitions + " partitions did not run at once within " + timeout + " (" + lastProblem
				+ ")" + manager.logTail());
	}

	/**
	 * Rows the workers have written to table {@code processed_item}, one per item, all
	 * runs together.
	 */
	long processedItemRows() {
		try {
			return Long.parseLong(query("SELECT count(*) FROM processed_item"));
		}
		catch (IllegalStateException ex) {
			return 0; // no manager has created the table yet
		}
	}

	String jobStatus(long jobExecutionId) {
		return query("SELECT status FROM batch_job_execution WHERE job_execution_id = " + jobExecutionId);
	}

	/**
	 * Sum of a count column over the step executions of a job execution that match a
	 * condition on their name.
	 */
	long stepSum(long jobExecutionId, String column, String stepCondition) {
		return Long.parseLong(query("SELECT coalesce(sum(" + column
				+ "), 0) FROM batch_step_execution WHERE job_execution_id = " + jobExecutionId + " AND step_name "
				+ stepCondition));
	}

	/**
	 * A sample from the gateway, for a job's group.
	 */
	double gatewayValue(String metric, String job, Map<String, String> labels) {
		Map<String, String> all = new java.util.HashMap<>(labels);
		all.put("job", job);
		return this.gateway.metrics().require(metric, all);
	}

	private String prometheusConfig() {
		StringBuilder workers = new StringBuilder();
		for (int port : this.workerPorts) {
			workers.append("'127.0.0.1:").append(port).append("', ");
		}
		String interval = SCRAPE_INTERVAL.toMillis() + "ms";
		// As deploy/prometheus/prometheus.yml, on loopback: the gateway with its labels kept,
		// the project's rules, and the workers scraped with the label BatchWorkerDown reads.
		return """
				global:
				  scrape_interval: %1$s
				  evaluation_interval: %1$s
				rule_files:
				  - %2$s/deploy/prometheus/rules/*.yml
				scrape_configs:
				  - job_name: pushgateway
				    honor_labels: true
				    static_configs:
				      - targets: ['%3$s']
				    relabel_configs:
				      - source_labels: [__address__]
				        target_label: pushgateway
				  - job_name: batch-workers
				    metrics_path: /actuator/prometheus
				    static_configs:
				      - targets: [%4$s]
				        labels:
				          batch_role: worker
				""".formatted(interval, REPOSITORY, this.gateway.address(), workers);
	}

	private static Path createLogDirectory(String testClass) {
		try {
			Path target = Path.of("target/scale-out-logs");
			Files.createDirectories(target);
			return Files.createTempDirectory(target, testClass + "-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Stop the workers, Prometheus and the gateway; the shared servers stay. Safe to call
	 * again (JUnit calls {@link #afterAll} after a failed {@link #beforeAll} too).
	 */
	private void close() {
		for (ExampleJvm worker : this.workers) {
			worker.close();
		}
		this.workers.clear();
		Teardown.closeAll(this.prometheus, this.gateway);
		this.prometheus = null;
		this.gateway = null;
	}

}
