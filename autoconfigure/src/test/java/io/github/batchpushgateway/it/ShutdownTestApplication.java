package io.github.batchpushgateway.it;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.support.ListItemReader;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * A {@code java -jar}-style batch application for the tests that need a process of its own: it
 * runs the job named by {@code spring.batch.job.name} at startup and exits, or is terminated by
 * the test.
 * <ul>
 * <li>{@code sleepingJob}: one tasklet that sleeps for a minute, which no stop request reaches.</li>
 * <li>{@code slowChunkJob}: a chunk step of 10,000 items at 20 ms each, which stops at the next
 * chunk when asked to.</li>
 * <li>{@code endNotSavedJob}: a job whose end the job repository fails to save, so Spring Batch
 * skips its afterJob listeners.</li>
 * </ul>
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ShutdownTestApplication {

	public static void main(String[] args) {
		System.exit(SpringApplication.exit(SpringApplication.run(ShutdownTestApplication.class, args)));
	}

	/** A tasklet that sleeps through any stop request; {@code --sleep-millis} shortens a restart. */
	@Bean
	Job sleepingJob(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			@Value("${sleep-millis:60000}") long sleepMillis) {
		return new JobBuilder("sleepingJob", jobRepository)
			.start(new StepBuilder("sleep", jobRepository).tasklet((contribution, context) -> {
				Thread.sleep(sleepMillis);
				return RepeatStatus.FINISHED;
			}, transactionManager).build())
			.build();
	}

	@Bean
	Job slowChunkJob(JobRepository jobRepository, PlatformTransactionManager transactionManager) {
		java.util.List<Integer> items = java.util.stream.IntStream.range(0, 10_000).boxed().toList();
		return new JobBuilder("slowChunkJob", jobRepository)
			.start(new StepBuilder("slowChunks", jobRepository).<Integer, Integer>chunk(10)
				.transactionManager(transactionManager)
				.reader(new ListItemReader<>(items))
				.processor((item) -> {
					Thread.sleep(20);
					return item;
				})
				.writer((chunk) -> {
				})
				.build())
			.build();
	}

	@Bean
	Job endNotSavedJob(JobRepository jobRepository, PlatformTransactionManager transactionManager) {
		return new JobBuilder("endNotSavedJob", jobRepository)
			.start(new StepBuilder("work", jobRepository)
				.tasklet((contribution, context) -> RepeatStatus.FINISHED, transactionManager)
				.build())
			.build();
	}

	/** Makes the repository fail to save the end of {@code endNotSavedJob}, as a lost database would. */
	@Bean
	static BeanPostProcessor failingEndOfJob() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (!(bean instanceof JobRepository repository)) {
					return bean;
				}
				return Proxy.newProxyInstance(JobRepository.class.getClassLoader(), new Class<?>[] { JobRepository.class },
						(proxy, method, arguments) -> {
							if (method.getName().equals("update") && arguments != null && arguments.length == 1
									&& arguments[0] instanceof JobExecution execution && execution.getEndTime() != null
									&& execution.getJobInstance().getJobName().equals("endNotSavedJob")) {
								throw new IllegalStateException("Job repository lost at the end of the job");
							}
							try {
								return method.invoke(repository, arguments);
							}
							catch (InvocationTargetException ex) {
								throw ex.getCause();
							}
						});
			}
		};
	}

}
