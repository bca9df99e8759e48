package io.github.batchpushgateway.deploy.longjob;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.support.IteratorItemReader;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * A batch application as a user writes it, with the starter on its classpath: one job of one
 * tasklet step that sleeps, moving no item or commit count until it ends, like a long call to a
 * remote system. {@code JobLivenessAlertingTests} runs it as a {@code java} process on the test
 * classpath; Spring Boot runs the job at startup and the process exits with its outcome.
 * <p>
 * {@code test-job.name} names the job (and so its group in the gateway);
 * {@code test-job.tasklet-duration} is how long the step sleeps; {@code test-job.partitions}, when
 * above 0, makes the step a partition step whose partitions each run the sleeping tasklet, in
 * threads of their own, so that the job pushes the partition series ({@code DashboardQueriesTests});
 * {@code test-job.items}, when above 0, puts a chunk step before it that reads and writes that many
 * items, so that the run is not empty ({@code CompletedEmptyAlertingTests}).
 */
@SpringBootApplication
public class LongTaskletJobApplication {

	public static void main(String[] args) {
		System.exit(SpringApplication.exit(SpringApplication.run(LongTaskletJobApplication.class, args)));
	}

	@Bean
	Job longTaskletJob(JobRepository jobRepository, @Value("${test-job.name}") String name,
			@Value("${test-job.tasklet-duration}") Duration taskletDuration,
			@Value("${test-job.partitions:0}") int partitions, @Value("${test-job.items:0}") int items) {
		Step tasklet = new StepBuilder((partitions > 0) ? "wait-partition" : "wait", jobRepository)
			.tasklet((contribution, chunkContext) -> {
				Thread.sleep(taskletDuration.toMillis());
				return RepeatStatus.FINISHED;
			})
			.build();
		Step step = (partitions > 0) ? new StepBuilder("wait", jobRepository).partitioner(tasklet.getName(), (grid) -> {
			Map<String, ExecutionContext> contexts = new LinkedHashMap<>();
			for (int partition = 0; partition < grid; partition++) {
				contexts.put("partition" + partition, new ExecutionContext());
			}
			return contexts;
		}).step(tasklet).gridSize(partitions).taskExecutor(new SimpleAsyncTaskExecutor("partition-")).build() : tasklet;
		if (items > 0) {
			Step read = new StepBuilder("read", jobRepository).<Integer, Integer>chunk(10)
				.reader(new IteratorItemReader<>(IntStream.rangeClosed(1, items).iterator()))
				.writer((chunk) -> {
				})
				.build();
			return new JobBuilder(name, jobRepository).start(read).next(step).build();
		}
		return new JobBuilder(name, jobRepository).start(step).build();
	}

}
