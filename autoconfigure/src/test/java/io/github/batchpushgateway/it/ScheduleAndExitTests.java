package io.github.batchpushgateway.it;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.UUID;

import io.github.batchpushgateway.testsupport.PushgatewayServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.scheduling.support.CronExpression;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Expected intervals reach each job's group, only included jobs push, and an application that
 * runs its job at startup and exits at once, as {@code java -jar} does, still delivers the job's
 * outcome.
 */
@ExtendWith(OutputCaptureExtension.class)
class ScheduleAndExitTests {

	@Test
	void expectedIntervalsArePushedPerJobAndUnknownJobNamesAreWarnedAbout(CapturedOutput output) {
		try (PushgatewayServer gateway = PushgatewayServer.start();
				TestBatchApplication application = TestBatchApplication.start(gateway.address(),
						"batch.pushgateway.jobs.expected-interval=1d",
						"batch.pushgateway.jobs.overrides.twoStepJob.expected-interval=1h",
						"batch.pushgateway.jobs.overrides.twoStepJobb.expected-interval=2h",
						// as an environment variable binds it: lower-cased
						"batch.pushgateway.jobs.overrides.variantjob.stall-timeout=5m")) {
			application.run("twoStepJob", new JobParameters());
			application.run("variantJob", new JobParameters());

			assertThat(gateway.metrics().require("batch_job_expected_interval_seconds", Map.of("job", "twoStepJob")))
				.isEqualTo(3600);
			assertThat(gateway.metrics().require("batch_job_expected_interval_seconds", Map.of("job", "variantJob")))
				.isEqualTo(86400);
			assertThat(gateway.metrics().require("batch_job_progress_interval_seconds", Map.of("job", "variantJob")))
				.isEqualTo(0.1);
			assertThat(gateway.metrics().require("batch_job_stall_timeout_seconds", Map.of("job", "variantJob")))
				.isEqualTo(300);
			assertThat(output).contains("batch.pushgateway.jobs.overrides names jobs that do not exist: [twoStepJobb]");
		}
	}

	@Test
	void everyJobGetsTwelveHoursAsItsMaximumDurationUnlessItsOverrideRaisesItOrSwitchesItOff() {
		try (PushgatewayServer gateway = PushgatewayServer.start();
				TestBatchApplication application = TestBatchApplication.start(gateway.address(),
						"batch.pushgateway.jobs.overrides.twoStepJob.max-duration=2d",
						"batch.pushgateway.jobs.overrides.variantJob.max-duration=0")) {
			application.run("twoStepJob", new JobParameters());
			application.run("variantJob", new JobParameters());
			application.run("spaceJob", new JobParameters());

			assertThat(gateway.metrics().require("batch_job_max_duration_seconds", Map.of("job", "twoStepJob")))
				.isEqualTo(172800);
			assertThat(gateway.metrics().value("batch_job_max_duration_seconds", Map.of("job", "variantJob")))
				.as("switched off: nothing pushed")
				.isEmpty();
			assertThat(gateway.metrics().value("batch_job_running", Map.of("job", "variantJob"))).isPresent();
			assertThat(gateway.metrics().require("batch_job_max_duration_seconds", Map.of("job", "weekly report")))
				.as("the default")
				.isEqualTo(43200);
		}
	}

	@Test
	void aScheduledJobPushesItsNextExpectedStartAndItsDeadlineAndOneWithoutAScheduleDoesNot() {
		try (PushgatewayServer gateway = PushgatewayServer.start();
				TestBatchApplication application = TestBatchApplication.start(gateway.address(),
						"batch.pushgateway.jobs.schedule=0 0 3 * * *", "batch.pushgateway.jobs.time-zone=UTC",
						"batch.pushgateway.jobs.overrides.twoStepJob.grace-period=30m",
						"batch.pushgateway.jobs.overrides.variantJob.schedule=-")) {
			application.run("twoStepJob", new JobParameters());
			application.run("variantJob", new JobParameters());

			double expected = CronExpression.parse("0 0 3 * * *")
				.next(ZonedDateTime.now(ZoneOffset.UTC))
				.toEpochSecond();
			assertThat(gateway.metrics()
				.require("batch_job_next_expected_start_timestamp_seconds", Map.of("job", "twoStepJob")))
				.isEqualTo(expected);
			assertThat(gateway.metrics()
				.require("batch_job_next_start_deadline_timestamp_seconds", Map.of("job", "twoStepJob")))
				.isEqualTo(expected + 1800);
			assertThat(gateway.metrics()
				.value("batch_job_next_expected_start_timestamp_seconds", Map.of("job", "variantJob"))).isEmpty();
		}
	}

	@Test
	void aCompletedRunBelowItsJobsOrAStepsItemMinimumIsPushedAsEmptyAndAJobWithoutAMinimumPushesNoFlag() {
		try (PushgatewayServer gateway = PushgatewayServer.start();
				TestBatchApplication application = TestBatchApplication.start(gateway.address(),
						"batch.pushgateway.jobs.min-items=1",
						"batch.pushgateway.jobs.overrides.twoStepJob.min-items=40",
						"batch.pushgateway.jobs.overrides.parallelJob.step-min-items.parallelStep=50",
						"batch.pushgateway.jobs.overrides[weekly report].min-items=0")) {
			application.run("twoStepJob", new JobParameters()); // reads 40 numbers
			application.run("variantJob", new JobParameters()); // one tasklet: no items
			application.run("parallelJob", new JobParametersBuilder().addLong("items", 49L).toJobParameters());
			application.run("spaceJob", new JobParameters());

			assertThat(gateway.metrics().require("batch_job_last_run_empty", Map.of("job", "twoStepJob"))).isZero();
			assertThat(gateway.metrics().require("batch_job_last_run_empty", Map.of("job", "variantJob")))
				.isEqualTo(1);
			assertThat(gateway.metrics().require("batch_job_last_run_empty", Map.of("job", "parallelJob")))
				.as("its step's own minimum")
				.isEqualTo(1);
			assertThat(gateway.metrics().value("batch_job_last_run_empty", Map.of("job", "weekly report")))
				.as("switched off: nothing pushed")
				.isEmpty();
			assertThat(gateway.metrics().require("batch_job_status", Map.of("job", "variantJob", "status", "COMPLETED")))
				.as("an empty run is still a success")
				.isEqualTo(1);
		}
	}

	@Test
	void excludedJobsPushNothingWhileOthersDo() {
		try (PushgatewayServer gateway = PushgatewayServer.start();
				TestBatchApplication application = TestBatchApplication.start(gateway.address(),
						"batch.pushgateway.jobs.include=*Job", "batch.pushgateway.jobs.exclude=variant*")) {
			application.run("variantJob", new JobParameters());
			application.run("twoStepJob", new JobParameters());
			application.run("spaceJob", new JobParameters()); // "weekly report": not matched by *Job

			assertThat(gateway.groupLabels()).extracting((labels) -> labels.get("job")).containsExactly("twoStepJob");
		}
	}

	@Test
	void applicationThatRunsItsJobAndExitsAtOnceDeliversTheOutcome() {
		try (PushgatewayServer gateway = PushgatewayServer.start()) {
			// given a slow-ish gateway budget and an app that exits right after its job, like java -jar
			ConfigurableApplicationContext context = new SpringApplicationBuilder(TestBatchApplication.class)
				.web(WebApplicationType.NONE)
				.properties("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID(), "spring.batch.job.name=variantJob",
						"batch.pushgateway.address=" + gateway.address(), "spring.main.banner-mode=off")
				.run();
			int exitCode = SpringApplication.exit(context);

			// then the gateway holds the finished job
			assertThat(exitCode).isZero();
			assertThat(gateway.metrics().require("batch_job_status", Map.of("job", "variantJob", "status", "COMPLETED")))
				.isEqualTo(1);
			assertThat(gateway.metrics().require("batch_job_running", Map.of("job", "variantJob"))).isZero();
		}
	}

}
