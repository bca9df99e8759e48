package io.github.batchpushgateway.push;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The Pushgateway's URL path of a group: {@code /metrics/job/<job>{/<label>/<value>}}. A value
 * that a path segment cannot carry as it is (empty, {@code .} or {@code ..}, which URL
 * normalisation would remove or climb with, or containing {@code /}) is sent base64url-encoded
 * under {@code <label>@base64}, as the gateway's API defines, so that every value lands in its own
 * group. Other values are percent-encoded, a space as {@code %20}: in a path {@code +} is a
 * literal plus.
 */
final class GroupPath {

	private GroupPath() {
	}

	static String of(PushGroup group) {
		StringBuilder path = new StringBuilder("/metrics");
		append(path, "job", group.job());
		for (Map.Entry<String, String> label : group.groupingKey().entrySet()) {
			append(path, label.getKey(), label.getValue());
		}
		return path.toString();
	}

	private static void append(StringBuilder path, String name, String value) {
		if (needsBase64(value)) {
			path.append('/').append(name).append("@base64/");
			// The gateway reads "=" as the empty value; padding is otherwise optional.
			path.append(value.isEmpty() ? "="
					: Base64.getUrlEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
		}
		else {
			path.append('/').append(name).append('/')
				.append(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
		}
	}

	private static boolean needsBase64(String value) {
		return value.isEmpty() || value.equals(".") || value.equals("..") || value.indexOf('/') >= 0;
	}

}
