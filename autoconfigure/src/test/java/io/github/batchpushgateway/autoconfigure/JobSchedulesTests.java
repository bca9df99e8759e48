package io.github.batchpushgateway.autoconfigure;

import java.time.Duration;
import java.util.Map;

import io.github.batchpushgateway.metrics.JobSchedule;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JobSchedules}.
 */
class JobSchedulesTests {

	private final BatchPushgatewayProperties properties = new BatchPushgatewayProperties();

	@Test
	void eachJobGetsTheJobWideSettingsWithItsOwnOverrides() {
		// given job-wide settings and overrides for one job
		this.properties.getJobs().setExpectedInterval(Duration.ofHours(24));
		this.properties.getJobs().setSchedule("0 0 2 * * *");
		this.properties.getJobs().setMinItems(1);
		BatchPushgatewayProperties.JobSettings hourly = new BatchPushgatewayProperties.JobSettings();
		hourly.setExpectedInterval(Duration.ofHours(1));
		hourly.setSchedule("-");
		hourly.setMaxDuration(Duration.ofMinutes(10));
		this.properties.getJobs().setOverrides(Map.of("hourlyJob", hourly));
		JobSchedules schedules = new JobSchedules(this.properties);

		// when each job's schedule is asked for
		JobSchedule nightly = schedules.apply("nightlyJob");
		JobSchedule overridden = schedules.apply("hourlyJob");

		// then each has its own
		assertThat(nightly.expectedInterval()).isEqualTo(Duration.ofHours(24));
		assertThat(nightly.startSchedule()).isNotNull();
		assertThat(nightly.startSchedule().cron()).isEqualTo("0 0 2 * * *");
		assertThat(nightly.itemMinimum()).isNotNull();
		assertThat(nightly.maxDuration()).isEqualTo(this.properties.getJobs().getMaxDuration());
		assertThat(overridden.expectedInterval()).isEqualTo(Duration.ofHours(1));
		assertThat(overridden.startSchedule()).isNull();
		assertThat(overridden.maxDuration()).isEqualTo(Duration.ofMinutes(10));
		assertThat(overridden.progressInterval()).isEqualTo(this.properties.getProgressInterval());
	}

	@Test
	void aJobsScheduleIsMadeAtItsFirstPushAndKeptForTheNextWithinTheKeptNumber() {
		// given a job's schedule asked for once
		JobSchedules schedules = new JobSchedules(this.properties);
		JobSchedule first = schedules.apply("importJob");

		// when it is asked for again, and more jobs than are kept are asked for
		JobSchedule second = schedules.apply("importJob");
		for (int i = 0; i < JobSchedules.KEPT_JOBS + 3; i++) {
			schedules.apply("job" + i);
		}

		// then the job's push shares the first schedule, and the kept ones stay bounded
		assertThat(second).isSameAs(first);
		assertThat(schedules.keptJobs()).isEqualTo(JobSchedules.KEPT_JOBS);
		assertThat(schedules.apply("job" + (JobSchedules.KEPT_JOBS + 2)))
			.isEqualTo(schedules.apply("job" + (JobSchedules.KEPT_JOBS + 2)));
	}

}
