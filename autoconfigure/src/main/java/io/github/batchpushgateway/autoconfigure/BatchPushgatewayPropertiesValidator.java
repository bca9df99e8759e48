package io.github.batchpushgateway.autoconfigure;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.github.batchpushgateway.batch.PushGroupResolver;
import io.github.batchpushgateway.metrics.StartSchedule;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.util.StringUtils;

/**
 * Fails at startup, naming the property, on configuration that cannot work, rather than letting
 * every push fail later.
 */
final class BatchPushgatewayPropertiesValidator {

	private static final String PREFIX = "batch.pushgateway.";

	/**
	 * Labels the starter's own series carry (status, step, phase, exit code, histogram buckets and
	 * summary quantiles of the observations), and the one the shipped scrape configuration adds per
	 * gateway. A grouping label of that name is put on every series of the group by the gateway: it
	 * rejects a push whose series already have it (400, every push), or overwrites their value.
	 */
	private static final Set<String> SERIES_LABELS = Set.of("status", "step", "phase", "exit_code", "le", "quantile",
			"pushgateway");

	private BatchPushgatewayPropertiesValidator() {
	}

	static void validate(BatchPushgatewayProperties properties) {
		if (properties.getAddress() != null && !properties.getAddresses().isEmpty()) {
			throw new org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException(
					java.util.Set.of(PREFIX + "address", PREFIX + "addresses"),
					java.util.Set.of(PREFIX + "address", PREFIX + "addresses"));
		}
		if (properties.getAddress() != null) {
			validateAddress("address", properties.getAddress());
		}
		for (int i = 0; i < properties.getAddresses().size(); i++) {
			validateAddress("addresses[" + i + "]", properties.getAddresses().get(i));
		}
		validateTextfileDirectory(properties.getTextfile().getDirectory());
		validateAuthentication(properties);
		if (properties.getSsl().getBundle() != null && properties.getScheme() != BatchPushgatewayProperties.Scheme.HTTPS) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "ssl.bundle", properties.getSsl().getBundle(),
					"An SSL bundle needs batch.pushgateway.scheme=https");
		}
		positive("progress-interval", properties.getProgressInterval());
		notNegative("min-push-interval", properties.getMinPushInterval());
		if (properties.getMinPushInterval().compareTo(properties.getProgressInterval()) > 0) {
			// A longer hold would space heartbeats wider than the interval the alert rules expect.
			throw invalid("min-push-interval", properties.getMinPushInterval(),
					"Must not be longer than batch.pushgateway.progress-interval ("
							+ properties.getProgressInterval() + ")");
		}
		positive("connect-timeout", properties.getConnectTimeout());
		positive("read-timeout", properties.getReadTimeout());
		// The HTTP client takes these as int milliseconds.
		atMost("connect-timeout", properties.getConnectTimeout(), Duration.ofMillis(Integer.MAX_VALUE));
		atMost("read-timeout", properties.getReadTimeout(), Duration.ofMillis(Integer.MAX_VALUE));
		notNegative("flush-timeout", properties.getFlushTimeout());
		// 0 switches the check off; else at least a millisecond, as for every interval.
		notNegative("refill-check-interval", properties.getRefillCheckInterval());
		if (!properties.getRefillCheckInterval().isZero()) {
			positive("refill-check-interval", properties.getRefillCheckInterval());
		}
		if (properties.getHistoryScanLimit() < 0) {
			throw invalid("history-scan-limit", properties.getHistoryScanLimit(), "Must not be negative");
		}
		if (properties.getMaxGroupsPerJob() < 1) {
			throw invalid("max-groups-per-job", properties.getMaxGroupsPerJob(), "Must be at least 1");
		}
		validateRetry(properties.getRetry());
		validateGroup(properties);
		validateJobs(properties.getJobs());
	}

	private static void validateTextfileDirectory(java.nio.file.@Nullable Path directory) {
		if (directory == null) {
			return;
		}
		if (!java.nio.file.Files.isDirectory(directory)) {
			throw invalid("textfile.directory", directory, "Must be an existing directory");
		}
		if (!java.nio.file.Files.isWritable(directory)) {
			throw invalid("textfile.directory", directory, "Must be writable by this application");
		}
	}

	private static void validateAddress(String property, @Nullable String address) {
		if (!StringUtils.hasText(address)) {
			throw invalid(property, address, "Must be host:port");
		}
		if (address.contains("@")) {
			// user:password@host: neither this exception nor its failure report shows the value.
			throw new InvalidCredentialPropertyException(PREFIX + property,
					"Must be host:port without credentials; use batch.pushgateway.username and password, or token");
		}
		if (address.contains("://") || address.contains("/")) {
			throw invalid(property, address,
					"Must be host:port, without scheme or path; set batch.pushgateway.scheme=https for HTTPS");
		}
		int colon = address.lastIndexOf(':');
		String host = (colon > 0) ? address.substring(0, colon) : "";
		String port = (colon > 0) ? address.substring(colon + 1) : "";
		boolean ipv6 = host.startsWith("[") && host.endsWith("]");
		if (host.isEmpty() || (!ipv6 && host.contains(":")) || host.contains(" ") || !isPort(port)) {
			throw invalid(property, address, "Must be host:port, such as localhost:9091 or [::1]:9091");
		}
	}

	private static boolean isPort(String port) {
		if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
			return false;
		}
		int value = Integer.parseInt(port);
		return value > 0 && value <= 65535;
	}

	private static void validateAuthentication(BatchPushgatewayProperties properties) {
		MutuallyExclusiveConfigurationPropertiesException.throwIfMultipleNonNullValuesIn((entries) -> {
			entries.put(PREFIX + "token", properties.getToken());
			entries.put(PREFIX + "username", properties.getUsername());
		});
		if (properties.getUsername() != null && properties.getPassword() == null) {
			throw invalid("password", null, "Basic authentication needs a password with batch.pushgateway.username");
		}
		if (properties.getPassword() != null && properties.getUsername() == null) {
			// The value is a secret: never echo it.
			throw invalid("username", null, "Basic authentication needs a username with batch.pushgateway.password");
		}
	}

	private static void validateRetry(BatchPushgatewayProperties.Retry retry) {
		if (retry.getMaxRetries() < 0) {
			throw invalid("retry.max-retries", retry.getMaxRetries(), "Must not be negative");
		}
		positive("retry.delay", retry.getDelay());
		positive("retry.max-delay", retry.getMaxDelay());
		if (retry.getMaxDelay().compareTo(retry.getDelay()) < 0) {
			throw invalid("retry.max-delay", retry.getMaxDelay(), "Must not be shorter than batch.pushgateway.retry.delay");
		}
		if (!(retry.getMultiplier() >= 1.0)) {
			throw invalid("retry.multiplier", retry.getMultiplier(), "Must be 1 or more");
		}
		positive("retry.redelivery-interval", retry.getRedeliveryInterval());
	}

	private static String seriesLabelClash(String label) {
		return "'" + label + "' is a label of the starter's own series (or of the shipped scrape configuration): "
				+ "the gateway would reject every push of the group or overwrite the series' value; choose another name";
	}

	private static void validateGroup(BatchPushgatewayProperties properties) {
		Set<String> labels = new HashSet<>();
		for (Map.Entry<String, String> entry : new LinkedHashMap<>(properties.getGroupingKey()).entrySet()) {
			String property = "grouping-key." + entry.getKey();
			if (!isLabelName(entry.getKey())) {
				throw invalid(property, entry.getValue(), "'" + entry.getKey()
						+ "' is not a label name: use letters, digits and underscores, not starting with a digit or __");
			}
			if (entry.getKey().equals("job")) {
				throw invalid(property, entry.getValue(), "The job label is always the job's name");
			}
			if (SERIES_LABELS.contains(entry.getKey())) {
				throw invalid(property, entry.getValue(), seriesLabelClash(entry.getKey()));
			}
			if (entry.getValue() == null) {
				throw invalid(property, null, "Must have a value");
			}
			labels.add(entry.getKey());
		}
		for (String parameter : properties.getGroupingParameters()) {
			if (!StringUtils.hasText(parameter)) {
				throw invalid("grouping-parameters", parameter, "Must hold job parameter names");
			}
			String label = PushGroupResolver.labelName(parameter);
			if (SERIES_LABELS.contains(label)) {
				throw invalid("grouping-parameters", parameter, seriesLabelClash(label));
			}
			if (label.equals("job") || label.startsWith("__") || !labels.add(label)) {
				throw invalid("grouping-parameters", parameter,
						"Its label '" + label + "' clashes with job, a reserved name or another grouping label");
			}
		}
	}

	private static void validateJobs(BatchPushgatewayProperties.Jobs jobs) {
		positiveIfSet("jobs.expected-interval", jobs.getExpectedInterval());
		positiveIfSet("jobs.stall-timeout", jobs.getStallTimeout());
		// 0 switches the default limit off: for all jobs, or for one in its overrides.
		notNegative("jobs.max-duration", jobs.getMaxDuration());
		cronIfSet("jobs.schedule", jobs.getSchedule());
		notNegative("jobs.grace-period", jobs.getGracePeriod());
		notNegative("jobs.min-items", jobs.getMinItems());
		jobs.getOverrides().forEach((job, settings) -> {
			positiveIfSet("jobs.overrides." + job + ".expected-interval", settings.getExpectedInterval());
			positiveIfSet("jobs.overrides." + job + ".stall-timeout", settings.getStallTimeout());
			if (settings.getMaxDuration() != null) {
				notNegative("jobs.overrides." + job + ".max-duration", settings.getMaxDuration());
			}
			cronIfSet("jobs.overrides." + job + ".schedule", settings.getSchedule());
			if (settings.getGracePeriod() != null) {
				notNegative("jobs.overrides." + job + ".grace-period", settings.getGracePeriod());
			}
			if (settings.getMinItems() != null) {
				notNegative("jobs.overrides." + job + ".min-items", settings.getMinItems());
			}
			settings.getStepMinItems()
				.forEach((step, minimum) -> notNegative("jobs.overrides." + job + ".step-min-items." + step, minimum));
		});
	}

	private static boolean isLabelName(String name) {
		return name.matches("[a-zA-Z_][a-zA-Z0-9_]*") && !name.startsWith("__");
	}

	/** At least a millisecond: schedulers and timeouts work in milliseconds, and 0 would spin. */
	private static void positive(String property, @Nullable Duration value) {
		if (value == null || value.toMillis() < 1) {
			throw invalid(property, value, "Must be at least 1ms");
		}
	}

	private static void positiveIfSet(String property, @Nullable Duration value) {
		if (value != null) {
			positive(property, value);
		}
	}

	/** "-" stands for no schedule, as in Spring's {@code @Scheduled(cron = "-")}. */
	private static void cronIfSet(String property, @Nullable String cron) {
		if (cron != null && !cron.equals(StartSchedule.NONE) && !CronExpression.isValidExpression(cron)) {
			throw invalid(property, cron, "Not a cron expression in Spring's syntax (CronExpression): six fields,"
					+ " second first (\"0 30 2 * * *\"), or a macro such as @daily");
		}
	}

	private static void atMost(String property, Duration value, Duration limit) {
		if (value.compareTo(limit) > 0) {
			throw invalid(property, value, "Must be at most " + limit);
		}
	}

	private static void notNegative(String property, @Nullable Duration value) {
		if (value == null || value.isNegative()) {
			throw invalid(property, value, "Must not be negative");
		}
	}

	private static void notNegative(String property, @Nullable Long value) {
		if (value == null || value < 0) {
			throw invalid(property, value, "Must not be negative");
		}
	}

	private static InvalidConfigurationPropertyValueException invalid(String property, @Nullable Object value,
			String reason) {
		return new InvalidConfigurationPropertyValueException(PREFIX + property, value, reason);
	}

}
