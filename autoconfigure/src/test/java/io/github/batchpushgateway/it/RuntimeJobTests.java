package io.github.batchpushgateway.it;

import java.util.Map;

import io.github.batchpushgateway.batch.BatchPushListenerRegistrar;
import io.github.batchpushgateway.testsupport.PushgatewayServer;
import io.github.batchpushgateway.testsupport.ScrapedMetrics;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job that is not a bean, built at runtime and started with {@code JobOperator}, pushes like a
 * job bean after one documented call on an injectable bean.
 */
class RuntimeJobTests {

	@Test
	void aJobBuiltAtRuntimePushesItsStateAndStepsAfterOneRegistration() throws Exception {
		try (PushgatewayServer gateway = PushgatewayServer.start();
				TestBatchApplication application = TestBatchApplication.start(gateway.address())) {
			// given a job built at runtime, registered as the README says
			JobRepository repository = application.bean(JobRepository.class);
			Job job = new JobBuilder("runtimeJob", repository)
				.start(new StepBuilder("runtimeStep", repository)
					.tasklet((contribution, context) -> RepeatStatus.FINISHED,
							application.bean(PlatformTransactionManager.class))
					.build())
				.build();
			// (an application injects ObjectProvider<BatchPushListenerRegistrar>: the bean is absent with the
			// starter disabled)
			application.beanProvider(BatchPushListenerRegistrar.class).ifAvailable((pushing) -> pushing.register(job));

			// when it runs
			JobExecution execution = application.bean(JobOperator.class)
				.start(job, new JobParametersBuilder().addLong("run", 1L).toJobParameters());

			// then its end and its step are in the gateway when the run returns
			assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
			ScrapedMetrics metrics = gateway.metrics();
			assertThat(metrics.require("batch_job_status", Map.of("job", "runtimeJob", "status", "COMPLETED")))
				.isEqualTo(1);
			assertThat(metrics.require("batch_step_status",
					Map.of("job", "runtimeJob", "step", "runtimeStep", "status", "COMPLETED")))
				.isEqualTo(1);
		}
	}

}
