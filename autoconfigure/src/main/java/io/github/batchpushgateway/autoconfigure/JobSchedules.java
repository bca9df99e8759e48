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

	/** What a job without overrides has of its own: nothing; never changed. */
	private static final BatchPushgatewayProperties.JobSettings NO_OVERRIDES = new BatchPushgatewayProperties.JobSettings();

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
		BatchPushgatewayProperties.JobSettings overrides = this.jobs.overridesOf(jobName);
		BatchPushgatewayProperties.JobSettings own = (overrides != null) ? overrides : NO_OVERRIDES;
		return new JobSchedule(this.progressInterval, either(own.getExpectedInterval(), this.jobs.getExpectedInterval()),
				either(own.getStallTimeout(), this.jobs.getStallTimeout()),
				unlessZero(either(own.getMaxDuration(), this.jobs.getMaxDuration())), startSchedule(own),
				itemMinimum(own));
	}

	/** A minimum of 0 everywhere checks nothing: nothing is pushed, as by default. */
	private @Nullable ItemMinimum itemMinimum(BatchPushgatewayProperties.JobSettings own) {
		ItemMinimum minimum = new ItemMinimum(either(own.getMinItems(), this.jobs.getMinItems()),
				own.getStepMinItems());
		return minimum.isChecked() ? minimum : null;
	}

	private @Nullable StartSchedule startSchedule(BatchPushgatewayProperties.JobSettings own) {
		String cron = either(own.getSchedule(), this.jobs.getSchedule());
		if (cron == null || cron.equals(StartSchedule.NONE)) {
			return null;
		}
		ZoneId zone = either(own.getTimeZone(), this.jobs.getTimeZone());
		return new StartSchedule(cron, (zone != null) ? zone : ZoneId.systemDefault(),
				either(own.getGracePeriod(), this.jobs.getGracePeriod()));
	}

	/** The job's own setting where it has one, else the setting of every job. */
	private static <T extends @Nullable Object> T either(@Nullable T own, T everyJob) {
		return (own != null) ? own : everyJob;
	}

	/** A maximum duration of 0 switches the check off: nothing is pushed, as for no limit. */
	private static @Nullable Duration unlessZero(@Nullable Duration duration) {
		return (duration != null && !duration.isZero()) ? duration : null;
	}

}
