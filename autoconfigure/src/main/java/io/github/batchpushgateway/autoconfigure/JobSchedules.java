package io.github.batchpushgateway.autoconfigure;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.github.batchpushgateway.metrics.ItemMinimum;
import io.github.batchpushgateway.metrics.JobSchedule;
import io.github.batchpushgateway.metrics.StartSchedule;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * Each job's {@link JobSchedule}: the job-wide settings under {@code batch.pushgateway.jobs.*}
 * with the job's own overrides applied, made at the job's first push and kept. Every push of a
 * group asks for its job's schedule; made anew each time, it looked the job's overrides up by
 * name, made its item minimum and checked its cron expression at every push, a job end's wait
 * included. The settings are read once, as the rest of the starter's are: bound at startup.
 */
final class JobSchedules implements Function<String, JobSchedule> {

	/**
	 * How many jobs' schedules are kept: an application runs a few jobs of fixed names; past that
	 * number a job's schedule is made at every push rather than kept in a growing map.
	 */
	static final int KEPT_JOBS = 256;

	private final Duration progressInterval;

	private final BatchPushgatewayProperties.Jobs jobs;

	private final Map<String, JobSchedule> kept = new ConcurrentHashMap<>();

	JobSchedules(BatchPushgatewayProperties properties) {
		Assert.notNull(properties, "'properties' must not be null");
		this.progressInterval = properties.getProgressInterval();
		this.jobs = properties.getJobs();
	}

	@Override
	public JobSchedule apply(String jobName) {
		JobSchedule schedule = this.kept.get(jobName);
		if (schedule == null) {
			schedule = scheduleOf(jobName);
			if (this.kept.size() < KEPT_JOBS) {
				this.kept.putIfAbsent(jobName, schedule);
			}
		}
		return schedule;
	}

	/** Returns how many jobs' schedules are kept, for tests. */
	int keptJobs() {
		return this.kept.size();
	}

	private JobSchedule scheduleOf(String jobName) {
		BatchPushgatewayProperties.JobSettings settings = this.jobs.overridesOf(jobName);
		Duration expected = (settings != null && settings.getExpectedInterval() != null)
				? settings.getExpectedInterval() : this.jobs.getExpectedInterval();
		Duration stall = (settings != null && settings.getStallTimeout() != null) ? settings.getStallTimeout()
				: this.jobs.getStallTimeout();
		Duration max = (settings != null && settings.getMaxDuration() != null) ? settings.getMaxDuration()
				: this.jobs.getMaxDuration();
		return new JobSchedule(this.progressInterval, expected, stall, unlessZero(max), startSchedule(settings),
				itemMinimum(settings));
	}

	/** A minimum of 0 everywhere checks nothing: nothing is pushed, as by default. */
	private @Nullable ItemMinimum itemMinimum(BatchPushgatewayProperties.@Nullable JobSettings settings) {
		long job = (settings != null && settings.getMinItems() != null) ? settings.getMinItems()
				: this.jobs.getMinItems();
		ItemMinimum minimum = new ItemMinimum(job, (settings != null) ? settings.getStepMinItems() : Map.of());
		return minimum.isChecked() ? minimum : null;
	}

	private @Nullable StartSchedule startSchedule(BatchPushgatewayProperties.@Nullable JobSettings settings) {
		String cron = (settings != null && settings.getSchedule() != null) ? settings.getSchedule()
				: this.jobs.getSchedule();
		if (cron == null || cron.equals(StartSchedule.NONE)) {
			return null;
		}
		ZoneId zone = (settings != null && settings.getTimeZone() != null) ? settings.getTimeZone()
				: this.jobs.getTimeZone();
		Duration grace = (settings != null && settings.getGracePeriod() != null) ? settings.getGracePeriod()
				: this.jobs.getGracePeriod();
		return new StartSchedule(cron, (zone != null) ? zone : ZoneId.systemDefault(),
				(grace != null) ? grace : this.jobs.getGracePeriod());
	}

	/** A maximum duration of 0 switches the check off: nothing is pushed, as for no limit. */
	private static @Nullable Duration unlessZero(@Nullable Duration duration) {
		return (duration != null && !duration.isZero()) ? duration : null;
	}

}
