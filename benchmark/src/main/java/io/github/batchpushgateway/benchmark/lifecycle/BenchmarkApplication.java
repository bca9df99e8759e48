package io.github.batchpushgateway.benchmark.lifecycle;

import java.util.Arrays;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The benchmark's batch application: the starter, a JDBC job repository on in-memory H2 and
 * one job, chosen with {@code --bench.job=chunk|four-step|one-step}. It is measured from
 * outside only (process wall time, the time {@code JobOperator.start} takes, the gateway's
 * series, the heap), so it measures the same thing whatever the starter's internals are.
 *
 * <ul>
 * <li>Without {@code --bench.runs}: a cron job. Spring Boot runs the job once at startup and
 * the process exits with its outcome.</li>
 * <li>With {@code --bench.runs=N --bench.results=file}: {@link TimedRuns} runs the job N times
 * and writes the time of each run (and, at {@code --bench.checkpoints}, the heap after GC and
 * the gateway's series) to the file.</li>
 * <li>{@code lifecycle [rows]} as first argument: the driver, {@link LifecycleBenchmark},
 * which starts the gateway and this jar in alternating JVMs and prints the table.</li>
 * </ul>
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({ BenchmarkJobs.class, TimedRuns.class })
public class BenchmarkApplication {

	/**
	 * Runs the application, or the driver when the first argument is {@code lifecycle}.
	 * @param args Spring Boot arguments, or {@code lifecycle} and the rows to measure
	 * @throws Exception when the driver fails
	 */
	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("lifecycle")) {
			LifecycleBenchmark.main(Arrays.copyOfRange(args, 1, args.length));
			return;
		}
		System.exit(SpringApplication.exit(SpringApplication.run(BenchmarkApplication.class, args)));
	}

}
