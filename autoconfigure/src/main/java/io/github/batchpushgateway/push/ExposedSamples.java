package io.github.batchpushgateway.push;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Reads a group's last success and last failure out of the Prometheus text format, as a target
 * exposes it: the Pushgateway's {@code /metrics}, or a textfile collector's file; and the groups a
 * gateway holds. Only the samples asked for are parsed; every other line is skipped, so the cost
 * is one pass over the text.
 */
final class ExposedSamples {

	static final String LAST_SUCCESS = "batch_job_last_success_timestamp_seconds";

	static final String LAST_FAILURE = "batch_job_last_failure_timestamp_seconds";

	private static final String PUSH_TIME = "push_time_seconds";

	private ExposedSamples() {
	}

	/**
	 * Returns the outcomes of the group whose labels are exactly {@code job} plus the grouping
	 * key; an empty {@code instance} label, which the gateway adds to groups without one, is
	 * ignored.
	 */
	static GroupOutcomes outcomesOf(PushGroup group, Reader text) throws IOException {
		Map<String, String> wanted = new LinkedHashMap<>(group.groupingKey());
		wanted.put("job", group.job());
		Instant success = null;
		Instant failure = null;
		BufferedReader lines = new BufferedReader(text);
		for (String line = lines.readLine(); line != null; line = lines.readLine()) {
			String name = metricName(line);
			if (name == null) {
				continue;
			}
			Sample sample = parse(line, name.length());
			if (sample == null || !sample.labels.equals(wanted)) {
				continue;
			}
			if (name.equals(LAST_SUCCESS)) {
				success = sample.instant();
			}
			else {
				failure = sample.instant();
			}
		}
		return new GroupOutcomes(success, failure);
	}

	/**
	 * Returns every group of a Pushgateway's {@code /metrics}: the labels of its
	 * {@code push_time_seconds} samples, which the gateway exposes once per group.
	 */
	static Set<PushGroup> groupsOf(Reader text) throws IOException {
		Set<PushGroup> groups = new HashSet<>();
		BufferedReader lines = new BufferedReader(text);
		for (String line = lines.readLine(); line != null; line = lines.readLine()) {
			if (!line.startsWith(PUSH_TIME + "{")) {
				continue;
			}
			Sample sample = parse(line, PUSH_TIME.length());
			if (sample != null && sample.labels.containsKey("job")) {
				Map<String, String> groupingKey = new LinkedHashMap<>(sample.labels);
				groups.add(new PushGroup(groupingKey.remove("job"), groupingKey));
			}
		}
		return groups;
	}

	private static @Nullable String metricName(String line) {
		for (String name : Set.of(LAST_SUCCESS, LAST_FAILURE)) {
			if (line.startsWith(name) && line.length() > name.length()
					&& (line.charAt(name.length()) == '{' || line.charAt(name.length()) == ' ')) {
				return name;
			}
		}
		return null;
	}

	private static @Nullable Sample parse(String line, int start) {
		Map<String, String> labels = new LinkedHashMap<>();
		int i = start;
		if (line.charAt(i) == '{') {
			i++;
			while (i < line.length() && line.charAt(i) != '}') {
				int equals = line.indexOf('=', i);
				if (equals < 0 || equals + 1 >= line.length() || line.charAt(equals + 1) != '"') {
					return null;
				}
				String labelName = line.substring(i, equals).trim();
				StringBuilder value = new StringBuilder();
				int j = equals + 2;
				for (; j < line.length() && line.charAt(j) != '"'; j++) {
					char c = line.charAt(j);
					if (c == '\\' && j + 1 < line.length()) {
						char escaped = line.charAt(++j);
						value.append((escaped == 'n') ? '\n' : escaped);
					}
					else {
						value.append(c);
					}
				}
				if (!(labelName.equals("instance") && value.isEmpty())) {
					labels.put(labelName, value.toString());
				}
				i = j + 1;
				if (i < line.length() && line.charAt(i) == ',') {
					i++;
				}
			}
			i++;
		}
		String[] rest = line.substring(Math.min(i, line.length())).trim().split("\\s+");
		try {
			return new Sample(labels, Double.parseDouble(rest[0]));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private record Sample(Map<String, String> labels, double value) {

		@Nullable Instant instant() {
			if (Double.isNaN(this.value) || Double.isInfinite(this.value) || this.value <= 0) {
				return null;
			}
			long seconds = (long) Math.floor(this.value);
			return Instant.ofEpochSecond(seconds, Math.round((this.value - seconds) * 1e9));
		}

	}

}
