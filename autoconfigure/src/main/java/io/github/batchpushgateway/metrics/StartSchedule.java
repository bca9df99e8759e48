package io.github.batchpushgateway.metrics;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.support.CronExpression;
import org.springframework.util.Assert;

/**
 * When a job is expected to start: a cron expression in Spring's syntax, the time zone it is read
 * in, and how late a start may be before the run counts as missed. Pushed with every push of the
 * job's group as the next expected start and its deadline, so that a rule can flag a run that never
 * happened: nothing else pushes when a job does not start.
 *
 * <p>Internal; not an extension point: public only for the starter's other packages, and may
 * change in any release.
 *
 * @param cron the cron expression, as given
 * @param zone the time zone the expression is read in
 * @param gracePeriod how long after the expected start the job may still start
 */
public record StartSchedule(String cron, ZoneId zone, Duration gracePeriod) {

	/**
	 * The schedule property's value for "no schedule", as Spring's {@code @Scheduled(cron = "-")}.
	 */
	public static final String NONE = "-";

	/**
	 * Creates a schedule, refusing an invalid expression and a negative grace period.
	 * @param cron the cron expression, as given
	 * @param zone the time zone the expression is read in
	 * @param gracePeriod how long after the expected start the job may still start
	 */
	public StartSchedule {
		Assert.notNull(cron, "'cron' must not be null");
		Assert.isTrue(CronExpression.isValidExpression(cron), () -> "'" + cron + "' is not a valid cron expression");
		Assert.notNull(zone, "'zone' must not be null");
		Assert.notNull(gracePeriod, "'gracePeriod' must not be null");
		Assert.isTrue(!gracePeriod.isNegative(), "'gracePeriod' must not be negative");
	}

	/**
	 * Returns the first expected start after the given time.
	 * @param now the time of the push
	 * @return the next expected start, or {@code null} if the expression never fires again
	 */
	public @Nullable Instant nextStart(Instant now) {
		ZonedDateTime next = CronExpression.parse(this.cron).next(now.atZone(this.zone));
		return (next != null) ? next.toInstant() : null;
	}

}
