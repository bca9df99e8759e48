package io.github.batchpushgateway.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the pushes of Spring Batch job state to a Prometheus Pushgateway.
 */
@ConfigurationProperties("batch.pushgateway")
public class BatchPushgatewayProperties {

	private static final String DEFAULT_ADDRESS = "localhost:9091";

	/**
	 * Whether to push the state of Spring Batch jobs to a Pushgateway. Tests of the Spring
	 * TestContext Framework do not push unless they opt in (batch.pushgateway.test.push).
	 */
	private boolean enabled = true;

	/**
	 * Address of the Pushgateway, as host:port. Defaults to localhost:9091 when neither addresses
	 * nor a textfile directory is set.
	 */
	private @Nullable String address;

	/**
	 * Addresses of several Pushgateways, as host:port, each of which gets every push; instead of
	 * address.
	 */
	private List<String> addresses = new ArrayList<>();

	/**
	 * Scheme of the Pushgateway's URL.
	 */
	private Scheme scheme = Scheme.HTTP;

	/**
	 * Login for basic authentication with the Pushgateway.
	 */
	private @Nullable String username;

	/**
	 * Password for basic authentication with the Pushgateway.
	 */
	private @Nullable String password;

	/**
	 * Bearer token for authentication with the Pushgateway, instead of basic authentication.
	 */
	private @Nullable String token;

	/**
	 * Format of the pushed metrics. Text by default: a job run in a JVM of its own (cron, a
	 * Kubernetes CronJob) would pay some hundreds of milliseconds of CPU for the protobuf
	 * writer's first use; protobuf makes each payload about a third smaller.
	 */
	private Format format = Format.TEXT;

	/**
	 * Static labels added to the group of every job, such as env=prod. The job's name is always
	 * the job label; labels of the starter's own series (status, step, phase, exit_code, le,
	 * quantile) and pushgateway are refused at startup.
	 */
	private Map<String, String> groupingKey = new LinkedHashMap<>();

	/**
	 * Names of job parameters whose values join the group, each as a label named like the
	 * parameter with characters other than letters, digits and underscores replaced by
	 * underscores. Only for parameters with few values: each value is a group of its own that the
	 * Pushgateway keeps.
	 */
	private List<String> groupingParameters = new ArrayList<>();

	/**
	 * How often each running job's group is pushed, whether its counts moved or not: the
	 * heartbeat that tells a live process from a dead one.
	 */
	private Duration progressInterval = Duration.ofSeconds(10);

	/**
	 * How long after the start of a group's last push its step ends and heartbeats wait, to go
	 * out together as one push at the end of that time; a job's start is never pushed at once but
	 * at the end of that time (a whole one when none runs), so that a job that ends within it
	 * makes one push, its end. A job's end, a flush, retries and
	 * redelivery are not paced. At most the progress interval; zero pushes every event at once.
	 */
	private Duration minPushInterval = Duration.ofMillis(100);

	/**
	 * Timeout for connecting to the Pushgateway.
	 */
	private Duration connectTimeout = Duration.ofSeconds(2);

	/**
	 * Timeout for the Pushgateway's answer to a push.
	 */
	private Duration readTimeout = Duration.ofSeconds(5);

	/**
	 * How long a job's end, and the application's shutdown, wait for the final push. Zero does
	 * not wait.
	 */
	private Duration flushTimeout = Duration.ofSeconds(10);

	/**
	 * How many of a job's most recent instances to read from the job repository, at most, to
	 * find its last success and last failure when it first runs in this application.
	 */
	private int historyScanLimit = 200;

	/**
	 * How often each Pushgateway is asked when it started (a small status request), once this
	 * application has pushed to it, so that the groups it pushed before a restart that emptied the
	 * gateway are pushed again, idle jobs' included, instead of staying absent until each job's
	 * next run. 0 never asks.
	 */
	private Duration refillCheckInterval = Duration.ofMinutes(1);

	/**
	 * How many groups a job may have with grouping-parameters; executions with values past that
	 * share the job's overflow group, whose grouping labels are "_overflow".
	 */
	private int maxGroupsPerJob = 100;

	/**
	 * Whether executions still running when the application shuts down are asked to stop (saved
	 * as STOPPING, which a chunk step sees at its next chunk boundary; stoppable tasklets are
	 * told), so that the job repository shows them STOPPED and restartable, before they are
	 * pushed as interrupted.
	 */
	private boolean stopJobsOnShutdown = true;

	private final Ssl ssl = new Ssl();

	private final Textfile textfile = new Textfile();

	private final Jobs jobs = new Jobs();

	private final Retry retry = new Retry();

	private final Observations observations = new Observations();

	private final Health health = new Health();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getAddress() {
		return this.address;
	}

	public void setAddress(@Nullable String address) {
		this.address = address;
	}

	public List<String> getAddresses() {
		return this.addresses;
	}

	public void setAddresses(List<String> addresses) {
		this.addresses = addresses;
	}

	public Textfile getTextfile() {
		return this.textfile;
	}

	/**
	 * Returns the Pushgateways to push to: {@code addresses}, else {@code address}, else
	 * {@code localhost:9091} unless a textfile directory is the only target configured.
	 * @return the gateways' addresses, as host:port
	 */
	public List<String> gatewayAddresses() {
		if (!this.addresses.isEmpty()) {
			return List.copyOf(this.addresses);
		}
		if (this.address != null) {
			return List.of(this.address);
		}
		return (this.textfile.getDirectory() != null) ? List.of() : List.of(DEFAULT_ADDRESS);
	}

	public Scheme getScheme() {
		return this.scheme;
	}

	public void setScheme(Scheme scheme) {
		this.scheme = scheme;
	}

	public @Nullable String getUsername() {
		return this.username;
	}

	public void setUsername(@Nullable String username) {
		this.username = username;
	}

	public @Nullable String getPassword() {
		return this.password;
	}

	public void setPassword(@Nullable String password) {
		this.password = password;
	}

	public @Nullable String getToken() {
		return this.token;
	}

	public void setToken(@Nullable String token) {
		this.token = token;
	}

	public Format getFormat() {
		return this.format;
	}

	public void setFormat(Format format) {
		this.format = format;
	}

	public Map<String, String> getGroupingKey() {
		return this.groupingKey;
	}

	public void setGroupingKey(Map<String, String> groupingKey) {
		this.groupingKey = groupingKey;
	}

	public List<String> getGroupingParameters() {
		return this.groupingParameters;
	}

	public void setGroupingParameters(List<String> groupingParameters) {
		this.groupingParameters = groupingParameters;
	}

	public Duration getProgressInterval() {
		return this.progressInterval;
	}

	public void setProgressInterval(Duration progressInterval) {
		this.progressInterval = progressInterval;
	}

	public Duration getMinPushInterval() {
		return this.minPushInterval;
	}

	public void setMinPushInterval(Duration minPushInterval) {
		this.minPushInterval = minPushInterval;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public Duration getReadTimeout() {
		return this.readTimeout;
	}

	public void setReadTimeout(Duration readTimeout) {
		this.readTimeout = readTimeout;
	}

	public Duration getFlushTimeout() {
		return this.flushTimeout;
	}

	public void setFlushTimeout(Duration flushTimeout) {
		this.flushTimeout = flushTimeout;
	}

	public Duration getRefillCheckInterval() {
		return this.refillCheckInterval;
	}

	public void setRefillCheckInterval(Duration refillCheckInterval) {
		this.refillCheckInterval = refillCheckInterval;
	}

	public int getHistoryScanLimit() {
		return this.historyScanLimit;
	}

	public void setHistoryScanLimit(int historyScanLimit) {
		this.historyScanLimit = historyScanLimit;
	}

	public int getMaxGroupsPerJob() {
		return this.maxGroupsPerJob;
	}

	public void setMaxGroupsPerJob(int maxGroupsPerJob) {
		this.maxGroupsPerJob = maxGroupsPerJob;
	}

	public boolean isStopJobsOnShutdown() {
		return this.stopJobsOnShutdown;
	}

	public void setStopJobsOnShutdown(boolean stopJobsOnShutdown) {
		this.stopJobsOnShutdown = stopJobsOnShutdown;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public Jobs getJobs() {
		return this.jobs;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public Observations getObservations() {
		return this.observations;
	}

	public Health getHealth() {
		return this.health;
	}

	/**
	 * Scheme of the Pushgateway's URL.
	 */
	public enum Scheme {

		/**
		 * Plain HTTP.
		 */
		HTTP,

		/**
		 * HTTPS, verified with the JVM's trust store or with an SSL bundle.
		 */
		HTTPS

	}

	/**
	 * Format of the pushed metrics.
	 */
	public enum Format {

		/**
		 * Prometheus protobuf format: about a third smaller per push, costlier to start in a
		 * cold JVM.
		 */
		PROTOBUF,

		/**
		 * Prometheus text format 0.0.4, the default: cheap to start, readable in network
		 * captures.
		 */
		TEXT

	}

	/**
	 * TLS settings.
	 */
	public static class Ssl {

		/**
		 * Name of the SSL bundle (spring.ssl.bundle.*) whose trust material verifies the Pushgateway,
		 * for HTTPS with a private certificate authority.
		 */
		private @Nullable String bundle;

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

	}

	/**
	 * Node exporter's textfile collector, for jobs that belong to one machine.
	 */
	public static class Textfile {

		/**
		 * Directory that node exporter's textfile collector reads
		 * (--collector.textfile.directory); each job group's state is written there as one .prom
		 * file. Works alone or next to Pushgateways.
		 */
		private @Nullable Path directory;

		public @Nullable Path getDirectory() {
			return this.directory;
		}

		public void setDirectory(@Nullable Path directory) {
			this.directory = directory;
		}

	}

	/**
	 * Which jobs push, and what is expected of them.
	 */
	public static class Jobs {

		/**
		 * Name patterns of the jobs that push their state; * matches any characters.
		 */
		private List<String> include = new ArrayList<>(List.of("*"));

		/**
		 * Name patterns of the jobs that do not push their state, winning over include.
		 */
		private List<String> exclude = new ArrayList<>();

		/**
		 * How often every job is expected to succeed, pushed as
		 * batch_job_expected_interval_seconds for the alert rules. Unset pushes nothing.
		 */
		private @Nullable Duration expectedInterval;

		/**
		 * How long a running job may make no progress (no step starting or ending, no count
		 * moving) before it counts as stalled, pushed as batch_job_stall_timeout_seconds for the
		 * alert rules. Unset pushes nothing.
		 */
		private @Nullable Duration stallTimeout;

		/**
		 * How long an execution of any job may run before it counts as running too long, pushed
		 * as batch_job_max_duration_seconds for the alert rules, so that a hung run is flagged
		 * even where nobody chose a limit. 0 checks no job by default.
		 */
		private Duration maxDuration = Duration.ofHours(12);

		/**
		 * When every job is expected to start: a cron expression in Spring's syntax (second,
		 * minute, hour, day of month, month, day of week; or a macro such as @daily). Every push
		 * then carries the next expected start and its deadline for the missed-run alert. Unset,
		 * or "-", pushes nothing.
		 */
		private @Nullable String schedule;

		/**
		 * Time zone the schedule is read in. Unset uses the JVM's default time zone, as Spring's
		 * scheduled tasks do.
		 */
		private @Nullable ZoneId timeZone;

		/**
		 * How long after its expected start a job may still start before the run counts as
		 * missed.
		 */
		private Duration gracePeriod = Duration.ofHours(1);

		/**
		 * Fewest items every job's steps together must read or write in a COMPLETED run; a run
		 * below it is pushed as batch_job_last_run_empty 1 for the empty-run alert, not as a
		 * failure. 0 checks no job.
		 */
		private long minItems;

		/**
		 * Settings of single jobs, by job name.
		 */
		private Map<String, JobSettings> overrides = new LinkedHashMap<>();

		public List<String> getInclude() {
			return this.include;
		}

		public void setInclude(List<String> include) {
			this.include = include;
		}

		public List<String> getExclude() {
			return this.exclude;
		}

		public void setExclude(List<String> exclude) {
			this.exclude = exclude;
		}

		public @Nullable Duration getExpectedInterval() {
			return this.expectedInterval;
		}

		public void setExpectedInterval(@Nullable Duration expectedInterval) {
			this.expectedInterval = expectedInterval;
		}

		public @Nullable Duration getStallTimeout() {
			return this.stallTimeout;
		}

		public void setStallTimeout(@Nullable Duration stallTimeout) {
			this.stallTimeout = stallTimeout;
		}

		public Duration getMaxDuration() {
			return this.maxDuration;
		}

		public void setMaxDuration(Duration maxDuration) {
			this.maxDuration = maxDuration;
		}

		public @Nullable String getSchedule() {
			return this.schedule;
		}

		public void setSchedule(@Nullable String schedule) {
			this.schedule = schedule;
		}

		public @Nullable ZoneId getTimeZone() {
			return this.timeZone;
		}

		public void setTimeZone(@Nullable ZoneId timeZone) {
			this.timeZone = timeZone;
		}

		public Duration getGracePeriod() {
			return this.gracePeriod;
		}

		public void setGracePeriod(Duration gracePeriod) {
			this.gracePeriod = gracePeriod;
		}

		public long getMinItems() {
			return this.minItems;
		}

		public void setMinItems(long minItems) {
			this.minItems = minItems;
		}

		public Map<String, JobSettings> getOverrides() {
			return this.overrides;
		}

		public void setOverrides(Map<String, JobSettings> overrides) {
			this.overrides = overrides;
		}

		/**
		 * Returns the overrides of a job: those under its exact name, else the only ones whose
		 * name differs from it in case alone. Spring Boot lower-cases a map key given through an
		 * environment variable ({@code BATCH_PUSHGATEWAY_JOBS_OVERRIDES_IMPORTJOB_MAXDURATION}
		 * binds to {@code importjob}), and job names are usually camel case.
		 * @param jobName the job's name
		 * @return its overrides, or {@code null} if it has none
		 */
		public @Nullable JobSettings overridesOf(String jobName) {
			JobSettings exact = this.overrides.get(jobName);
			if (exact != null) {
				return exact;
			}
			JobSettings found = null;
			for (Map.Entry<String, JobSettings> entry : this.overrides.entrySet()) {
				if (entry.getKey().equalsIgnoreCase(jobName)) {
					if (found != null) {
						return null;
					}
					found = entry.getValue();
				}
			}
			return found;
		}

	}

	/**
	 * Settings of one job.
	 */
	public static class JobSettings {

		/**
		 * How often this job is expected to succeed, pushed as
		 * batch_job_expected_interval_seconds for the alert rules.
		 */
		private @Nullable Duration expectedInterval;

		/**
		 * How long this job may make no progress before it counts as stalled, pushed as
		 * batch_job_stall_timeout_seconds.
		 */
		private @Nullable Duration stallTimeout;

		/**
		 * How long an execution of this job may run, pushed as batch_job_max_duration_seconds,
		 * instead of jobs.max-duration. 0 leaves this job unchecked.
		 */
		private @Nullable Duration maxDuration;

		/**
		 * When this job is expected to start, a cron expression in Spring's syntax, instead of
		 * jobs.schedule. "-" gives this job no schedule.
		 */
		private @Nullable String schedule;

		/**
		 * Time zone this job's schedule is read in, instead of jobs.time-zone.
		 */
		private @Nullable ZoneId timeZone;

		/**
		 * How long after its expected start this job may still start, instead of
		 * jobs.grace-period.
		 */
		private @Nullable Duration gracePeriod;

		/**
		 * Fewest items this job's steps together must read or write in a COMPLETED run, instead
		 * of jobs.min-items. 0 leaves this job unchecked.
		 */
		private @Nullable Long minItems;

		/**
		 * Fewest items each named step of this job must read or write in a COMPLETED run, by step
		 * name, in addition to the job's minimum. A step the run did not execute handled none.
		 */
		private Map<String, Long> stepMinItems = new LinkedHashMap<>();

		public @Nullable Duration getExpectedInterval() {
			return this.expectedInterval;
		}

		public void setExpectedInterval(@Nullable Duration expectedInterval) {
			this.expectedInterval = expectedInterval;
		}

		public @Nullable Duration getStallTimeout() {
			return this.stallTimeout;
		}

		public void setStallTimeout(@Nullable Duration stallTimeout) {
			this.stallTimeout = stallTimeout;
		}

		public @Nullable Duration getMaxDuration() {
			return this.maxDuration;
		}

		public void setMaxDuration(@Nullable Duration maxDuration) {
			this.maxDuration = maxDuration;
		}

		public @Nullable String getSchedule() {
			return this.schedule;
		}

		public void setSchedule(@Nullable String schedule) {
			this.schedule = schedule;
		}

		public @Nullable ZoneId getTimeZone() {
			return this.timeZone;
		}

		public void setTimeZone(@Nullable ZoneId timeZone) {
			this.timeZone = timeZone;
		}

		public @Nullable Duration getGracePeriod() {
			return this.gracePeriod;
		}

		public void setGracePeriod(@Nullable Duration gracePeriod) {
			this.gracePeriod = gracePeriod;
		}

		public @Nullable Long getMinItems() {
			return this.minItems;
		}

		public void setMinItems(@Nullable Long minItems) {
			this.minItems = minItems;
		}

		public Map<String, Long> getStepMinItems() {
			return this.stepMinItems;
		}

		public void setStepMinItems(Map<String, Long> stepMinItems) {
			this.stepMinItems = stepMinItems;
		}

	}

	/**
	 * Retries of failed pushes.
	 */
	public static class Retry {

		/**
		 * How many times a failed push is retried before the state waits for redelivery.
		 */
		private long maxRetries = 3;

		/**
		 * Delay before the first retry.
		 */
		private Duration delay = Duration.ofMillis(200);

		/**
		 * Factor by which the delay grows after each retry.
		 */
		private double multiplier = 2.0;

		/**
		 * Longest delay between two retries.
		 */
		private Duration maxDelay = Duration.ofSeconds(5);

		/**
		 * How long state whose retries are exhausted waits before it is sent again; it is also sent
		 * again as soon as another push succeeds. Also how long state the gateway rejected waits
		 * before it is checked again.
		 */
		private Duration redeliveryInterval = Duration.ofSeconds(30);

		public long getMaxRetries() {
			return this.maxRetries;
		}

		public void setMaxRetries(long maxRetries) {
			this.maxRetries = maxRetries;
		}

		public Duration getDelay() {
			return this.delay;
		}

		public void setDelay(Duration delay) {
			this.delay = delay;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public Duration getRedeliveryInterval() {
			return this.redeliveryInterval;
		}

		public void setRedeliveryInterval(Duration redeliveryInterval) {
			this.redeliveryInterval = redeliveryInterval;
		}

	}

	/**
	 * Spring Batch's own observations of pushed jobs, in their groups.
	 */
	public static class Observations {

		/**
		 * Whether Spring Batch's item read, item process and chunk write observations of each
		 * pushed execution are pushed in its group, as the histograms batch_item_read_seconds,
		 * batch_item_process_seconds and batch_chunk_write_seconds by step and status. Without
		 * an ObservationRegistry bean the starter defines one.
		 */
		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * The batchPushgateway health contributor (with Actuator).
	 */
	public static class Health {

		/**
		 * Whether the health contributor is DOWN while the state of some job group reached no
		 * target (its last push failed at every target), which turns the application's aggregate
		 * health DOWN (HTTP 503). Otherwise it stays UP and shows the failing targets and groups
		 * in its details; a group that one of several targets still holds never makes it DOWN.
		 */
		private boolean downWhenUndelivered;

		public boolean isDownWhenUndelivered() {
			return this.downWhenUndelivered;
		}

		public void setDownWhenUndelivered(boolean downWhenUndelivered) {
			this.downWhenUndelivered = downWhenUndelivered;
		}

	}

}
