package io.github.batchpushgateway.benchmark.lifecycle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One push to the gateway as the starter makes it, timed: an HTTP PUT of a group in the text
 * format over a kept-alive loopback connection, answer read. The reference the four-step row
 * measures the starter's added time against.
 */
final class RoundTrip {

	/** Between two labels of the gateway's exposition; its label values here hold no quotes. */
	private static final Pattern LABEL_SEPARATOR = Pattern.compile("(?<=\"),");

	private final URI uri;

	private final byte[] body;

	private RoundTrip(String address, String group, String body) {
		this.uri = URI.create("http://" + address + "/metrics/job/" + group);
		this.body = body.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * A group of gauge samples, as the driver pushes back to back between its JVMs.
	 * @param address the gateway's host and port
	 * @param samples how many samples the group holds
	 * @return the round trip
	 */
	static RoundTrip ofSamples(String address, int samples) {
		StringBuilder text = new StringBuilder("# TYPE benchmark_round_trip_sample gauge\n");
		for (int i = 0; i < samples; i++) {
			text.append("benchmark_round_trip_sample{step=\"step").append(i % 4).append("\",i=\"").append(i)
				.append("\"} ").append(i * 1.5).append('\n');
		}
		return new RoundTrip(address, "benchmark_round_trip", text.toString());
	}

	/**
	 * The group a job pushed, copied from the gateway's exposition (its help and type lines and its
	 * samples, without the gateway's {@code job} and {@code instance} labels and its push
	 * timestamps) and pushed to a group of its own: the same bytes for the gateway to parse as the
	 * job's own push.
	 * @param address the gateway's host and port
	 * @param exposition what the gateway's {@code /metrics} answered
	 * @param job the job whose group is copied
	 * @return the round trip
	 */
	static RoundTrip ofJobGroup(String address, String exposition, String job) {
		String jobLabel = "job=\"" + job + "\"";
		StringBuilder text = new StringBuilder();
		List<String> familyLines = new ArrayList<>();
		int samples = 0;
		for (String line : exposition.split("\n")) {
			if (line.startsWith("# HELP ")) {
				familyLines.clear();
			}
			if (line.startsWith("#")) {
				familyLines.add(line);
				continue;
			}
			int open = line.indexOf('{');
			int close = line.lastIndexOf('}');
			if (open < 0 || close < open || line.startsWith("push_") || !line.substring(open, close).contains(jobLabel)) {
				continue;
			}
			familyLines.forEach((family) -> text.append(family).append('\n'));
			familyLines.clear();
			List<String> labels = new ArrayList<>();
			for (String label : LABEL_SEPARATOR.split(line.substring(open + 1, close))) {
				if (!label.equals(jobLabel) && !label.startsWith("instance=")) {
					labels.add(label);
				}
			}
			text.append(line, 0, open);
			if (!labels.isEmpty()) {
				text.append('{').append(String.join(",", labels)).append('}');
			}
			text.append(line.substring(close + 1)).append('\n');
			samples++;
		}
		if (samples == 0) {
			throw new IllegalStateException("The gateway holds no group of job '" + job + "'");
		}
		return new RoundTrip(address, "benchmark_round_trip_" + job, text.toString());
	}

	/** The bytes each push sends. */
	int bodyBytes() {
		return this.body.length;
	}

	/**
	 * Pushes the group once.
	 * @return how long the push took, in nanoseconds, its answer read
	 * @throws IOException when the exchange fails
	 */
	long push() throws IOException {
		long start = System.nanoTime();
		HttpURLConnection connection = (HttpURLConnection) this.uri.toURL().openConnection();
		connection.setRequestMethod("PUT");
		connection.setDoOutput(true);
		connection.setRequestProperty("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
		try (OutputStream out = connection.getOutputStream()) {
			out.write(this.body);
		}
		int status = connection.getResponseCode();
		try (InputStream in = (status < 400) ? connection.getInputStream() : connection.getErrorStream()) {
			if (in != null) {
				in.readAllBytes();
			}
		}
		long took = System.nanoTime() - start;
		if (status / 100 != 2) {
			throw new IllegalStateException("Round-trip push to " + this.uri + " answered " + status);
		}
		return took;
	}

}
