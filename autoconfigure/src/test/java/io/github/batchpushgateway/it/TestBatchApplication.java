package io.github.batchpushgateway.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
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

	private final ConfigurableApplicationContext context;

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
		try {
			JobParameters unique = new JobParametersBuilder(parameters)
				.addString("run.id", UUID.randomUUID().toString())
				.toJobParameters();
			return bean(JobOperator.class).start(this.context.getBean(jobName, Job.class), unique);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not run " + jobName, ex);
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

	@Override
	public void close() {
		this.context.close();
	}

}
