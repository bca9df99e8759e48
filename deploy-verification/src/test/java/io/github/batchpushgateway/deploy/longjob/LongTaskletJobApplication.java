package io.github.batchpushgateway.deploy.longjob;

import java.time.Duration;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A batch application as a user writes it, with the starter on its classpath: one job of one
 * tasklet step that sleeps, moving no item or commit count until it ends, like a long call to a
 * remote system. {@code JobLivenessAlertingTests} runs it as a {@code java} process on the test
 * classpath; Spring Boot runs the job at startup and the process exits with its outcome.
 * <p>
 * {@code test-job.name} names the job (and so its group in the gateway);
 * {@code test-job.tasklet-duration} is how long the step sleeps.
 */
@SpringBootApplication
public class LongTaskletJobApplication {

	public static void main(String[] args) {
		System.exit(SpringApplication.exit(SpringApplication.run(LongTaskletJobApplication.class, args)));
	}

	@Bean
	Job longTaskletJob(JobRepository jobRepository, @Value("${test-job.name}") String name,
			@Value("${test-job.tasklet-duration}") Duration taskletDuration) {
		Step step = new StepBuilder("wait", jobRepository).tasklet((contribution, chunkContext) -> {
			Thread.sleep(taskletDuration.toMillis());
			return RepeatStatus.FINISHED;
		}).build();
		return new JobBuilder(name, jobRepository).start(step).build();
	}

}
