package io.github.batchpushgateway.benchmark.lifecycle;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The jobs, one per application ({@code bench.job}), so that Spring Boot's own launcher runs it
 * in the cron-job mode as it would a user's only job.
 * <ul>
 * <li>{@code chunkJob} ({@code bench.job=chunk}): one chunk step, chunk size 100, over
 * {@code bench.items} numbers (default 100,000), processor and writer that do nearly nothing;
 * the job's time is Spring Batch's own work and the repository's commits.</li>
 * <li>{@code fourStepJob} ({@code bench.job=four-step}): two chunk steps of 50 items (chunk
 * 10) and two tasklets, a few milliseconds in all.</li>
 * <li>{@code fourStepJob} and its copy {@code fourStepJobExcluded} ({@code bench.job=four-step-paired}),
 * for one JVM that runs them in turn with the copy excluded from pushing
 * ({@code batch.pushgateway.jobs.exclude}): the starter on and off in the same JVM, at the same
 * load and with the same compiled code.</li>
 * <li>{@code oneStepJob} ({@code bench.job=one-step}): one chunk step of 1,000 items (chunk
 * 100).</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class BenchmarkJobs {

	@Bean
	@ConditionalOnProperty(name = "bench.job", havingValue = "chunk")
	Job chunkJob(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			@Value("${bench.items:100000}") int items) {
		return new JobBuilder("chunkJob", jobRepository)
			.start(chunkStep("chunkStep", items, 100, jobRepository, transactionManager))
			.build();
	}

	/** The name of the copy of the four-step job that the paired JVM excludes from pushing. */
	static final String EXCLUDED_FOUR_STEP_JOB = "fourStepJobExcluded";

	@Bean
	@ConditionalOnProperty(name = "bench.job", havingValue = "four-step")
	Job fourStepJob(JobRepository jobRepository, PlatformTransactionManager transactionManager) {
		return fourStep("fourStepJob", jobRepository, transactionManager);
	}

	@Bean
	@ConditionalOnProperty(name = "bench.job", havingValue = "four-step-paired")
	Job pairedFourStepJob(JobRepository jobRepository, PlatformTransactionManager transactionManager) {
		return fourStep("fourStepJob", jobRepository, transactionManager);
	}

	@Bean
	@ConditionalOnProperty(name = "bench.job", havingValue = "four-step-paired")
	Job excludedFourStepJob(JobRepository jobRepository, PlatformTransactionManager transactionManager) {
		return fourStep(EXCLUDED_FOUR_STEP_JOB, jobRepository, transactionManager);
	}

	@Bean
	@ConditionalOnProperty(name = "bench.job", havingValue = "one-step")
	Job oneStepJob(JobRepository jobRepository, PlatformTransactionManager transactionManager) {
		return new JobBuilder("oneStepJob", jobRepository)
			.start(chunkStep("importStep", 1000, 100, jobRepository, transactionManager))
			.build();
	}

	private static Job fourStep(String name, JobRepository jobRepository,
			PlatformTransactionManager transactionManager) {
		return new JobBuilder(name, jobRepository)
			.start(chunkStep("extract", 50, 10, jobRepository, transactionManager))
			.next(tasklet("validate", jobRepository, transactionManager))
			.next(chunkStep("load", 50, 10, jobRepository, transactionManager))
			.next(tasklet("report", jobRepository, transactionManager))
			.build();
	}

	private static Step chunkStep(String name, int items, int chunkSize, JobRepository jobRepository,
			PlatformTransactionManager transactionManager) {
		Sink sink = new Sink();
		return new StepBuilder(name, jobRepository).<Integer, Integer>chunk(chunkSize)
			.transactionManager(transactionManager)
			.reader(new NumberReader(items))
			.processor((item) -> item * 2)
			.writer((chunk) -> {
				for (Integer item : chunk) {
					sink.sum += item;
				}
			})
			.build();
	}

	private static Step tasklet(String name, JobRepository jobRepository,
			PlatformTransactionManager transactionManager) {
		return new StepBuilder(name, jobRepository)
			.tasklet((contribution, context) -> RepeatStatus.FINISHED, transactionManager)
			.build();
	}

	/** Where the writers put their items, so that the JIT cannot drop the work. */
	private static final class Sink {

		long sum;

	}

	/** Reads 1 to {@code items}, starting over at each step execution. */
	private static final class NumberReader implements ItemStreamReader<Integer> {

		private final int items;

		private int next;

		NumberReader(int items) {
			this.items = items;
		}

		@Override
		public void open(ExecutionContext executionContext) {
			this.next = 1;
		}

		@Override
		public Integer read() {
			return (this.next <= this.items) ? this.next++ : null;
		}

	}

}
