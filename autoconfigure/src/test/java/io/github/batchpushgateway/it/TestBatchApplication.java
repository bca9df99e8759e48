package io.github.batchpushgateway.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * A Spring Boot batch application with the starter, a JDBC job repository on H2 and the
 * {@link TestJobs}, started the way a user's application starts. Jobs are launched by the tests.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(TestJobs.class)
public class TestBatchApplication implements AutoCloseable {

	private static final Duration RUNS_END_TIMEOUT = Duration.ofSeconds(30);

	private final ConfigurableApplicationContext context;

	/** The parameters of the runs in progress, launched through {@link #run}. */
	private final Set<JobParameters> running = ConcurrentHashMap.newKeySet();

	private TestBatchApplication(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/**
	 * Starts an application with an in-memory database of its own.
	 * @param gatewayAddress the Pushgateway's host:port
	 * @param properties further properties, as name=value
	 * @return the running application
	 */
	public static TestBatchApplication start(String gatewayAddress, String... properties) {
		return start("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", gatewayAddress, properties);
	}

	/**
	 * Starts an application on a file database, which a later application can open again.
	 * @param databaseFile the database file, without H2's extension
	 * @param gatewayAddress the Pushgateway's host:port
	 * @param properties further properties, as name=value
	 * @return the running application
	 */
	public static TestBatchApplication startOnFile(Path databaseFile, String gatewayAddress, String... properties) {
		return start("jdbc:h2:file:" + databaseFile.toAbsolutePath(), gatewayAddress, properties);
	}

	/**
	 * Starts an application on the given database, which other applications may share, as
	 * JVMs share a job repository.
	 * @param url the database's JDBC URL
	 * @param gatewayAddress the Pushgateway's host:port
	 * @param properties further properties, as name=value
	 * @return the running application
	 */
	public static TestBatchApplication startOn(String url, String gatewayAddress, String... properties) {
		return start(url, gatewayAddress, properties);
	}

	/**
	 * Starts an application with an in-memory database of its own and no single gateway address:
	 * its targets come from the properties ({@code addresses}, {@code textfile.directory}).
	 * @param properties the targets and further properties, as name=value
	 * @return the running application
	 */
	public static TestBatchApplication startWithTargets(String... properties) {
		return start("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, properties);
	}

	private static TestBatchApplication start(String url, @Nullable String gatewayAddress, String... properties) {
		List<String> all = new ArrayList<>(List.of("spring.datasource.url=" + url,
				"spring.batch.job.enabled=false", "spring.batch.jdbc.initialize-schema=always",
				"batch.pushgateway.progress-interval=100ms",
				"batch.pushgateway.flush-timeout=5s", "batch.pushgateway.retry.delay=50ms",
				"spring.main.banner-mode=off"));
		if (gatewayAddress != null) {
			all.add("batch.pushgateway.address=" + gatewayAddress);
		}
		all.addAll(List.of(properties));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(TestBatchApplication.class)
			.web(WebApplicationType.NONE)
			.properties(all.toArray(String[]::new))
			.run();
		return new TestBatchApplication(context);
	}

	/**
	 * Runs a job to its end on the calling thread.
	 * @param jobName the job bean's name
	 * @param parameters the job parameters; a unique run.id is added
	 * @return the finished execution
	 */
	public JobExecution run(String jobName, JobParameters parameters) {
		JobParameters unique = new JobParametersBuilder(parameters)
			.addString("run.id", UUID.randomUUID().toString())
			.toJobParameters();
		this.running.add(unique);
		try {
			return bean(JobOperator.class).start(this.context.getBean(jobName, Job.class), unique);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not run " + jobName, ex);
		}
		finally {
			this.running.remove(unique);
		}
	}

	/**
	 * Returns a bean of the application.
	 * @param <T> the bean's type
	 * @param type the bean's type
	 * @return the bean
	 */
	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	/**
	 * Returns a bean of the application by its name, for beans whose class is not public.
	 * @param <T> the type it is seen as
	 * @param name the bean's name
	 * @param type the type it is seen as
	 * @return the bean
	 */
	public <T> T bean(String name, Class<T> type) {
		return this.context.getBean(name, type);
	}

	/**
	 * Returns the application's provider of a bean that may be absent, as an application injects it.
	 * @param <T> the bean's type
	 * @param type the bean's type
	 * @return the provider
	 */
	public <T> ObjectProvider<T> beanProvider(Class<T> type) {
		return this.context.getBeanProvider(type);
	}

	/**
	 * Lets the runs still held at a {@link Latches latch} or at the {@link Gate} go on, waits for
	 * the runs launched through {@link #run} to end, then closes the application.
	 * <p>A test that fails while it holds a run must not leave that run's step going on once the
	 * application is closed. Spring Batch keeps the context of every running step in one map for
	 * the whole JVM ({@code StepSynchronizationManager}), keyed by the step's name, its id and its
	 * job execution's id, and the next application's new database hands out the same ids again:
	 * a step of that application would get the held step's context, so its tasklet would see the
	 * held run's step execution and job parameters, and, once the starter has asked the held run
	 * to stop at this close, would stop at once (spring-batch issues 1126, 4774).
	 */
	@Override
	public void close() {
		try {
			letRunsEnd();
		}
		finally {
			this.context.close();
		}
	}

	private void letRunsEnd() {
		this.context.getBeansOfType(Gate.class).values().forEach(Gate::open);
		long deadline = System.nanoTime() + RUNS_END_TIMEOUT.toNanos();
		while (!this.running.isEmpty() && System.nanoTime() < deadline) {
			for (JobParameters parameters : this.running) {
				String latch = parameters.getString("latch");
				if (latch != null) {
					Latches.open(latch);
				}
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

}
