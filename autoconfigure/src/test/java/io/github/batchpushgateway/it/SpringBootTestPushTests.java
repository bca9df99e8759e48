package io.github.batchpushgateway.it;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.batchpushgateway.autoconfigure.test.AutoConfigureBatchPushgateway;
import io.github.batchpushgateway.testsupport.PushgatewayServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's own {@code @SpringBootTest} of an application with the starter, its gateway set as
 * {@code application.yml} would set it: a real Pushgateway sees the test's job only when the test
 * opts in. Each case files its runs under a {@code suite} label of its own.
 */
class SpringBootTestPushTests {

	private static PushgatewayServer gateway;

	@BeforeAll
	static void startGateway() {
		gateway = PushgatewayServer.start();
	}

	@AfterAll
	static void stopGateway() {
		gateway.close();
	}

	@DynamicPropertySource
	static void gatewayAddress(DynamicPropertyRegistry registry) {
		registry.add("batch.pushgateway.address", () -> gateway.address());
	}

	@Nested
	@SpringBootTest(classes = UserApplication.class, properties = "batch.pushgateway.grouping-key.suite=plain")
	class WithoutOptIn {

		@Test
		void jobRunInTheTestReachesNoGateway(@Autowired JobOperator operator, @Autowired Job userJob) throws Exception {
			assertThat(run(operator, userJob)).isEqualTo(BatchStatus.COMPLETED);
			assertThat(groupsOf("plain")).isEmpty();
		}

	}

	@Nested
	@SpringBootTest(classes = UserApplication.class,
			properties = { "batch.pushgateway.grouping-key.suite=switched-on", "batch.pushgateway.enabled=true" })
	class WithEnabledTrue {

		@Test
		void jobRunInTheTestReachesNoGateway(@Autowired JobOperator operator, @Autowired Job userJob) throws Exception {
			assertThat(run(operator, userJob)).isEqualTo(BatchStatus.COMPLETED);
			assertThat(groupsOf("switched-on")).isEmpty();
		}

	}

	@Nested
	@SpringBootTest(classes = UserApplication.class, properties = "batch.pushgateway.grouping-key.suite=annotated")
	@AutoConfigureBatchPushgateway
	class WithTheAnnotation {

		@Test
		void jobsGroupAppearsInTheGateway(@Autowired JobOperator operator, @Autowired Job userJob) throws Exception {
			assertThat(run(operator, userJob)).isEqualTo(BatchStatus.COMPLETED);
			assertThat(groupsOf("annotated")).containsExactly(Map.of("job", "userJob", "suite", "annotated"));
		}

	}

	@Nested
	@SpringBootTest(classes = UserApplication.class,
			properties = { "batch.pushgateway.grouping-key.suite=by-property", "batch.pushgateway.test.push=true" })
	class WithTheProperty {

		@Test
		void jobsGroupAppearsInTheGateway(@Autowired JobOperator operator, @Autowired Job userJob) throws Exception {
			assertThat(run(operator, userJob)).isEqualTo(BatchStatus.COMPLETED);
			assertThat(groupsOf("by-property")).containsExactly(Map.of("job", "userJob", "suite", "by-property"));
		}

	}

	@Nested
	@SpringBootTest(classes = UserApplication.class, properties = "batch.pushgateway.grouping-key.suite=declined")
	@AutoConfigureBatchPushgateway(push = false)
	class WithTheAnnotationDecliningPush {

		@Test
		void jobRunInTheTestReachesNoGateway(@Autowired JobOperator operator, @Autowired Job userJob) throws Exception {
			assertThat(run(operator, userJob)).isEqualTo(BatchStatus.COMPLETED);
			assertThat(groupsOf("declined")).isEmpty();
		}

	}

	/** The job's end waits for its final push, so whatever pushes has reached the gateway. */
	private static BatchStatus run(JobOperator operator, Job job) throws Exception {
		return operator
			.start(job, new JobParametersBuilder().addString("run.id", UUID.randomUUID().toString()).toJobParameters())
			.getStatus();
	}

	private static List<Map<String, String>> groupsOf(String suite) {
		return gateway.groupLabels().stream().filter((labels) -> suite.equals(labels.get("suite"))).toList();
	}

	/**
	 * An application with the starter and one job, as a user's would be.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class UserApplication {

		@Bean
		Job userJob(JobRepository jobRepository, PlatformTransactionManager transactionManager) {
			return new JobBuilder("userJob", jobRepository)
				.start(new StepBuilder("userStep", jobRepository)
					.tasklet((contribution, context) -> RepeatStatus.FINISHED, transactionManager)
					.build())
				.build();
		}

	}

}
