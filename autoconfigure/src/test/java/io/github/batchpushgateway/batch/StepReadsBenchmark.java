package io.github.batchpushgateway.batch;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import io.github.batchpushgateway.metrics.JobMetricsSnapshotFactory;
import io.github.batchpushgateway.metrics.JobSchedule;
import io.github.batchpushgateway.push.PushGroup;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.JdbcJobRepositoryFactoryBean;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabase;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * Measures, for the benchmark, what building one push's state on the sending side costs by the
 * steps it reads from a real JDBC job repository (embedded H2): a job without partitions run
 * elsewhere, and one whose partitions all run in other JVMs, read in one statement or through the
 * {@code JobRepository} API.
 */
public final class StepReadsBenchmark {

	private StepReadsBenchmark() {
	}

	/**
	 * Builds the state of each kind of job {@code pushes} times.
	 * @param pushes measured pushes per kind of job
	 * @param partitions partitions of the partitioned job, all running elsewhere
	 * @return per kind of job, the nanoseconds of each push and the statements it ran on average
	 * @throws Exception when the database cannot be set up
	 */
	public static List<Result> measure(int pushes, int partitions) throws Exception {
		EmbeddedDatabase database = new EmbeddedDatabaseBuilder().generateUniqueName(true)
			.setType(EmbeddedDatabaseType.H2)
			.addScript("/org/springframework/batch/core/schema-h2.sql")
			.build();
		try {
			AtomicLong statements = new AtomicLong();
			DataSource counting = counting(database, statements);
			JdbcJobRepositoryFactoryBean factory = new JdbcJobRepositoryFactoryBean();
			factory.setDataSource(counting);
			factory.setTransactionManager(new JdbcTransactionManager(counting));
			factory.afterPropertiesSet();
			JobRepository repository = factory.getObject();
			JdbcStepExecutions oneStatement = new JdbcStepExecutions(new JdbcTemplate(counting), "BATCH_");
			List<Result> results = new ArrayList<>();
			results.add(pushes("job without partitions run elsewhere (2 steps)",
					groups(repository, oneStatement), plainExecution(repository), pushes, statements));
			results.add(pushes(partitions + " partitions run elsewhere, one statement",
					groups(repository, oneStatement), partitionedExecution(repository, "gridJob", partitions), pushes,
					statements));
			results.add(pushes(partitions + " partitions run elsewhere, JobRepository API",
					groups(repository, null), partitionedExecution(repository, "gridApiJob", partitions), pushes,
					statements));
			return results;
		}
		finally {
			database.shutdown();
		}
	}

	private static Result pushes(String name, GroupStates groups, JobExecution execution, int pushes,
			AtomicLong statements) {
		groups.track(execution);
		PushGroup group = PushGroup.of(execution.getJobInstance().getJobName());
		// The first push also seeds the history and lists other JVMs' runs, once per interval.
		for (int i = 0; i < 20; i++) {
			groups.snapshot(group);
		}
		long[] nanos = new long[pushes];
		long before = statements.get();
		for (int i = 0; i < pushes; i++) {
			long start = System.nanoTime();
			groups.snapshot(group);
			nanos[i] = System.nanoTime() - start;
		}
		return new Result(name, nanos, (statements.get() - before) / (double) pushes);
	}

	private static GroupStates groups(JobRepository repository, JdbcStepExecutions stepExecutions) {
		PushGroupResolver resolver = new PushGroupResolver(Map.of(), List.of());
		return new GroupStates(resolver, 10, new JobRepositoryReads(repository, resolver, 100, stepExecutions),
				new JobMetricsSnapshotFactory(List::of),
				(job) -> new JobSchedule(Duration.ofHours(1), null, Duration.ofMinutes(5), null), Clock.systemUTC());
	}

	private static JobExecution plainExecution(JobRepository repository) {
		JobExecution execution = started(repository, "plainJob");
		for (String name : List.of("load", "export")) {
			StepExecution step = repository.createStepExecution(name, execution);
			running(repository, step, 400);
		}
		return execution;
	}

	/** A manager step whose partitions workers in other JVMs run and save. */
	private static JobExecution partitionedExecution(JobRepository repository, String job, int partitions) {
		JobExecution execution = started(repository, job);
		StepExecution manager = repository.createStepExecution("manager", execution);
		running(repository, manager, 0);
		for (int i = 0; i < partitions; i++) {
			StepExecution partition = repository.createStepExecution("worker:partition" + i, execution);
			// A worker's copy: this JVM's stays STARTING, as a manager's does.
			StepExecution saved = repository.getStepExecution(partition.getId());
			running(repository, saved, 10_000);
		}
		return execution;
	}

	private static JobExecution started(JobRepository repository, String job) {
		JobInstance instance = repository.createJobInstance(job, new JobParameters());
		JobExecution execution = repository.createJobExecution(instance, new JobParameters(), new ExecutionContext());
		execution.setStartTime(LocalDateTime.now());
		execution.setStatus(BatchStatus.STARTED);
		repository.update(execution);
		return execution;
	}

	private static void running(JobRepository repository, StepExecution step, long items) {
		step.setStartTime(LocalDateTime.now());
		step.setStatus(BatchStatus.STARTED);
		step.setReadCount(items);
		step.setWriteCount(items);
		step.setCommitCount(items / 100);
		repository.update(step);
	}

	/** The database, counting the statements prepared on its connections. */
	private static DataSource counting(DataSource database, AtomicLong statements) {
		return new DelegatingDataSource(database) {

			@Override
			public Connection getConnection() throws java.sql.SQLException {
				Connection connection = super.getConnection();
				InvocationHandler handler = (proxy, method, args) -> {
					if (method.getName().startsWith("prepare") || method.getName().equals("createStatement")) {
						statements.incrementAndGet();
					}
					try {
						return method.invoke(connection, args);
					}
					catch (java.lang.reflect.InvocationTargetException ex) {
						throw ex.getCause();
					}
				};
				return (Connection) Proxy.newProxyInstance(StepReadsBenchmark.class.getClassLoader(),
						new Class<?>[] { Connection.class }, handler);
			}

		};
	}

	/**
	 * One kind of job's pushes.
	 *
	 * @param name what the job is
	 * @param nanos the time each push's state took to build
	 * @param statementsPerPush statements run per push, on average
	 */
	public record Result(String name, long[] nanos, double statementsPerPush) {

	}

}
