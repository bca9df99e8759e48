package io.github.batchpushgateway.it;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * A job whose chunk steps Spring Batch observes (item read, item process, chunk write), each
 * over the items 1 to the job parameter {@code items} in chunks of 3:
 * <ul>
 * <li>{@code loadStep}, a step bean, which Spring Batch gives the application's observation
 * registry;</li>
 * <li>{@code copyStep}, built inline in the job, whose items are processed on worker threads.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class ObservedJobs {

	static final int CHUNK_SIZE = 3;

	@Bean
	Step observedLoadStep(JobRepository jobRepository, PlatformTransactionManager transactionManager) {
		return new StepBuilder("loadStep", jobRepository).<Integer, Integer>chunk(CHUNK_SIZE)
			.transactionManager(transactionManager)
			.reader(new NumberReader(new Gate()))
			.processor((item) -> item)
			.writer((chunk) -> {
			})
			.build();
	}

	@Bean
	Job observedJob(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			Step observedLoadStep) {
		Step copy = new StepBuilder("copyStep", jobRepository).<Integer, Integer>chunk(CHUNK_SIZE)
			.transactionManager(transactionManager)
			.reader(new NumberReader(new Gate()))
			.processor((item) -> item)
			.writer((chunk) -> {
			})
			.taskExecutor(new SimpleAsyncTaskExecutor("copy-"))
			.build();
		return new JobBuilder("observedJob", jobRepository).start(observedLoadStep).next(copy).build();
	}

}
