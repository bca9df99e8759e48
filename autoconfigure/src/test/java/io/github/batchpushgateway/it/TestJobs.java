package io.github.batchpushgateway.it;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.flow.FlowExecutionStatus;
import org.springframework.batch.core.job.flow.JobExecutionDecider;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The jobs the integration tests run.
 * <ul>
 * <li>{@code twoStepJob}: a chunk step (a step bean) that can be held at a {@link Gate},
 * then an inline tasklet step that fails when the job parameter {@code fail} is {@code true}.</li>
 * <li>{@code variantJob}: a flow whose parameter {@code variant} picks one of three inline steps
 * and whose exit code is {@code EXIT_<variant mod 4>}, set by another listener.</li>
 * <li>{@code parallelJob}: a multi-threaded chunk step over the parameter {@code items}.</li>
 * <li>{@code slashJob}, {@code spaceJob}, {@code accentJob}, {@code dotJob}, {@code dotDotJob}:
 * one-step jobs whose names need encoding in a URL path.</li>
 * <li>{@code waitJob}: one tasklet that waits at the {@link Latches latch} named by the parameter
 * {@code latch}, then fails when the parameter {@code fail} is {@code true}.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class TestJobs {

	/** Items written by each job's chunk step, by job execution id. */
	static final Map<Long, AtomicLong> written = new ConcurrentHashMap<>();

	@Bean
	Gate gate() {
		return new Gate();
	}

	@Bean
	Step importStep(JobRepository jobRepository, PlatformTransactionManager transactionManager, Gate gate) {
		return new StepBuilder("importStep", jobRepository).<Integer, Integer>chunk(5)
			.transactionManager(transactionManager)
			.reader(new NumberReader(gate))
			.processor((item) -> (item % 7 == 0) ? null : item)
			.writer((chunk) -> {
			})
			.build();
	}

	@Bean
	Job twoStepJob(JobRepository jobRepository, PlatformTransactionManager transactionManager, Step importStep) {
		Step reportStep = new StepBuilder("reportStep", jobRepository).tasklet((contribution, context) -> {
			if (Boolean.parseBoolean(context.getStepContext().getJobParameters().getOrDefault("fail", "false").toString())) {
				throw new IllegalStateException("Report failed on purpose");
			}
			return RepeatStatus.FINISHED;
		}, transactionManager).build();
		return new JobBuilder("twoStepJob", jobRepository).start(importStep).next(reportStep).build();
	}

	@Bean
	Job variantJob(JobRepository jobRepository, PlatformTransactionManager transactionManager) {
		JobExecutionDecider decider = (jobExecution, stepExecution) -> new FlowExecutionStatus(
				"V" + (variant(jobExecution) % 3));
		return new JobBuilder("variantJob", jobRepository).listener(new JobExecutionListener() {
			@Override
			public void afterJob(JobExecution jobExecution) {
				jobExecution.setExitStatus(new ExitStatus("EXIT_" + (variant(jobExecution) % 4)));
			}
		})
			.start(decider)
			.on("V0").to(noop("stepA", jobRepository, transactionManager))
			.from(decider).on("V1").to(noop("stepB", jobRepository, transactionManager))
			.from(decider).on("V2").to(noop("stepC", jobRepository, transactionManager))
			.end()
			.build();
	}

	@Bean
	Job parallelJob(JobRepository jobRepository, PlatformTransactionManager transactionManager) {
		Step step = new StepBuilder("parallelStep", jobRepository).<Integer, Integer>chunk(10)
			.transactionManager(transactionManager)
			.reader(new NumberReader(new Gate()))
			.writer((chunk) -> {
			})
			.taskExecutor(new SimpleAsyncTaskExecutor("parallel-"))
			.build();
		return new JobBuilder("parallelJob", jobRepository).start(step).build();
	}

	@Bean
	Job slashJob(JobRepository jobRepository, PlatformTransactionManager transactionManager) {
		return new JobBuilder("nightly/export", jobRepository).start(noop("export", jobRepository, transactionManager))
			.build();
	}

	@Bean
	Job spaceJob(JobRepository jobRepository, PlatformTransactionManager transactionManager) {
		return new JobBuilder("weekly report", jobRepository).start(noop("report", jobRepository, transactionManager))
			.build();
	}

	@Bean
	Job accentJob(JobRepository jobRepository, PlatformTransactionManager transactionManager) {
		return new JobBuilder("rapport-été+1", jobRepository).start(noop("rapport", jobRepository, transactionManager))
			.build();
	}

	@Bean
	Job dotJob(JobRepository jobRepository, PlatformTransactionManager transactionManager) {
		return new JobBuilder(".", jobRepository).start(noop("dot", jobRepository, transactionManager)).build();
	}

	@Bean
	Job dotDotJob(JobRepository jobRepository, PlatformTransactionManager transactionManager) {
		return new JobBuilder("..", jobRepository).start(noop("dotDot", jobRepository, transactionManager)).build();
	}

	@Bean
	Job waitJob(JobRepository jobRepository, PlatformTransactionManager transactionManager) {
		Step wait = new StepBuilder("wait", jobRepository).tasklet((contribution, context) -> {
			Map<String, Object> parameters = context.getStepContext().getJobParameters();
			Latches.await(String.valueOf(parameters.get("latch")));
			if (Boolean.parseBoolean(String.valueOf(parameters.getOrDefault("fail", "false")))) {
				throw new IllegalStateException("Failed on purpose");
			}
			return RepeatStatus.FINISHED;
		}, transactionManager).build();
		return new JobBuilder("waitJob", jobRepository).start(wait).build();
	}

	private static long variant(JobExecution jobExecution) {
		Long variant = jobExecution.getJobParameters().getLong("variant");
		return (variant != null) ? variant : 0;
	}

	private static Step noop(String name, JobRepository jobRepository, PlatformTransactionManager transactionManager) {
		return new StepBuilder(name, jobRepository)
			.tasklet((contribution, context) -> RepeatStatus.FINISHED, transactionManager)
			.build();
	}

}
