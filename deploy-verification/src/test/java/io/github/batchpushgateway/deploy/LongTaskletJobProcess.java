package io.github.batchpushgateway.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.batchpushgateway.deploy.longjob.LongTaskletJobApplication;

/**
 * A {@code java} process of {@link LongTaskletJobApplication}, started on this JVM's class path
 * (the test classpath, which holds the starter), pushing to a given gateway with a progress
 * interval of one second.
 */
final class LongTaskletJobProcess implements AutoCloseable {

	/** The starter's heartbeat, and so the unit of the rules' liveness thresholds. */
	static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);

	private final String jobName;

	private final Process process;

	private final Path log;

	private LongTaskletJobProcess(String jobName, Process process, Path log) {
		this.jobName = jobName;
		this.process = process;
		this.log = log;
	}

	/**
	 * Starts the application, which runs its job at once.
	 * @param jobName the job's name, its group in the gateway
	 * @param taskletDuration how long its one step sleeps
	 * @param gatewayAddress the gateway's {@code host:port}
	 * @param directory where the log goes
	 * @param properties further {@code name=value} properties, such as a stall timeout
	 * @return the running process
	 */
	static LongTaskletJobProcess start(String jobName, Duration taskletDuration, String gatewayAddress, Path directory,
			String... properties) {
		return startWithTargets(jobName, taskletDuration, "batch.pushgateway.address=" + gatewayAddress, directory,
				properties);
	}

	/**
	 * Starts the application with other targets than one gateway, such as several gateways or a
	 * textfile directory.
	 * @param jobName the job's name, its group in the targets
	 * @param taskletDuration how long its one step sleeps
	 * @param targets the {@code name=value} property that names the targets, for example
	 * {@code batch.pushgateway.addresses=a:9091,b:9091}
	 * @param directory where the log goes
	 * @param properties further {@code name=value} properties
	 * @return the running process
	 */
	static LongTaskletJobProcess startWithTargets(String jobName, Duration taskletDuration, String targets,
			Path directory, String... properties) {
		Path log = directory.resolve(jobName + ".log");
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				// Start fast on a loaded machine: the test waits for the job, not for the JIT.
				"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
				LongTaskletJobApplication.class.getName(), "--spring.main.web-application-type=none", "--" + targets,
				"--batch.pushgateway.progress-interval=" + PROGRESS_INTERVAL.toSeconds() + "s",
				"--test-job.name=" + jobName, "--test-job.tasklet-duration=" + taskletDuration.toMillis() + "ms"));
		for (String property : properties) {
			command.add("--" + property);
		}
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
			return new LongTaskletJobProcess(jobName, process, log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + command, ex);
		}
	}

	String jobName() {
		return this.jobName;
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Kills the process with SIGKILL ({@link Process#destroyForcibly()} on Linux), as the OOM
	 * killer or a lost node does: no shutdown hook runs, nothing is pushed.
	 */
	void kill() {
		this.process.destroyForcibly();
		await(Duration.ofSeconds(10));
	}

	/**
	 * Waits for the process to end.
	 * @param timeout how long to wait
	 * @return its exit code
	 */
	int await(Duration timeout) {
		try {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new AssertionError(this.jobName + " did not end within " + timeout + "; log:\n" + logTail());
			}
			return this.process.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	String logTail() {
		return ExampleJobProcess.tail(this.log);
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
		}
	}

	@Override
	public String toString() {
		return this.jobName;
	}

}
