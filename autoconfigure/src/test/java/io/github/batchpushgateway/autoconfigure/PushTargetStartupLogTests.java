package io.github.batchpushgateway.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.step.Step;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link PushTargetStartupLog}, wired by {@link BatchPushgatewayAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class PushTargetStartupLogTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BatchPushgatewayAutoConfiguration.class));

	@Test
	void oneInfoLineSaysWhereInWhichFormatAndWhichJobsPush(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(ThreeJobs.class)
			.withPropertyValues("batch.pushgateway.address=gateway.monitoring:9091", "batch.pushgateway.scheme=https",
					"batch.pushgateway.format=protobuf", "batch.pushgateway.jobs.include=nightly*,weekly",
					"batch.pushgateway.jobs.exclude=*Test")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output.getAll().lines().filter((line) -> line.contains("Pushing Spring Batch job state")))
					.singleElement()
					.asString()
					.contains("INFO")
					.contains("to https://gateway.monitoring:9091 in protobuf format")
					.contains("for jobs [nightlyImport, weekly]")
					.contains("(include [nightly*, weekly], exclude [*Test])");
			});
	}

	@Test
	void withoutJobBeansTheLineNamesThePatterns(CapturedOutput output) {
		this.contextRunner.run((context) -> assertThat(output)
			.contains("Pushing Spring Batch job state to http://localhost:9091 in text format, "
					+ "for no job bean found so far (include [*], exclude [])"));
	}

	@Test
	void aWorkerJvmWithStepBeansOnlySaysThatItPushesNoGroup(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(WorkerStep.class)
			.run((context) -> assertThat(output)
				.contains("for no job bean found so far: the steps [workerStep] run here for jobs of other JVMs, "
						+ "which push them as their shared job repository holds them; this JVM pushes no group"));
	}

	@Test
	void whenEveryJobIsLeftOutTheLineSaysSoAndNamesThem(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(ThreeJobs.class)
			.withPropertyValues("batch.pushgateway.jobs.exclude=*")
			.run((context) -> assertThat(output).contains("for no job: include and exclude leave out every job bean "
					+ "[monthly, nightlyImport, nightlyTest, weekly] (include [*], exclude [*])"));
	}

	@Test
	void theLineNamesTheAuthenticationButNeverTheCredentials(CapturedOutput output) {
		this.contextRunner.withPropertyValues("batch.pushgateway.username=pusher", "batch.pushgateway.password=s3cr3t")
			.run((context) -> assertThat(output).contains("http://localhost:9091 with basic authentication in")
				.doesNotContain("s3cr3t")
				.doesNotContain("pusher"));
		this.contextRunner.withPropertyValues("batch.pushgateway.token=t0ken-value")
			.run((context) -> assertThat(output).contains("http://localhost:9091 with a bearer token in")
				.doesNotContain("t0ken-value"));
	}

	@Test
	void nothingIsLoggedWhenDisabled(CapturedOutput output) {
		this.contextRunner.withPropertyValues("batch.pushgateway.enabled=false")
			.run((context) -> assertThat(output).doesNotContain("Pushing Spring Batch job state"));
	}

	@Configuration(proxyBeanMethods = false)
	static class WorkerStep {

		@Bean
		Step workerStep() {
			Step step = mock(Step.class);
			given(step.getName()).willReturn("workerStep");
			return step;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ThreeJobs {

		@Bean
		Job nightlyImport() {
			return job("nightlyImport");
		}

		@Bean
		Job nightlyTest() {
			return job("nightlyTest");
		}

		@Bean
		Job weekly() {
			return job("weekly");
		}

		@Bean
		Job other() {
			return job("monthly");
		}

		private static Job job(String name) {
			Job job = mock(Job.class);
			given(job.getName()).willReturn(name);
			return job;
		}

	}

}
