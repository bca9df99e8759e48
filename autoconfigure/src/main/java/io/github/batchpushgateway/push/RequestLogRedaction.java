package io.github.batchpushgateway.push;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jspecify.annotations.Nullable;

/**
 * Keeps the values of the headers a client sends (credentials among them) out of the JDK's own
 * request log. {@code HttpURLConnection} logs every request's headers, {@code Authorization}
 * included, at {@code FINE} on the java.util.logging logger named after it, and Spring Boot passes
 * that on to the application's log as {@code DEBUG}: one {@code logging.level.root=DEBUG} printed
 * the gateway's password (base64) and token. A filter on that logger replaces the values of the
 * headers the starter sends with {@code [redacted]} where they appear as headers
 * ({@code {Name: value}}, as the JDK prints them), and an {@code Authorization} value wherever it
 * appears; the rest of the JDK's log is left as it is. A filter the application already set on
 * that logger still decides what is logged; one it sets later replaces this one.
 */
final class RequestLogRedaction {

	/** The java.util.logging logger {@code sun.net.www.protocol.http.HttpURLConnection} logs to. */
	static final String LOGGER_NAME = "sun.net.www.protocol.http.HttpURLConnection";

	/** What to replace, with what. */
	private static final Map<String, String> replacements = new ConcurrentHashMap<>();

	/** Held: java.util.logging keeps its loggers weakly, and a new one would have no filter. */
	private static volatile @Nullable Logger logger;

	private RequestLogRedaction() {
	}

	/**
	 * Redacts the values of the given headers from the JDK's request log from now on.
	 * @param headers the headers a client sends, by name
	 */
	static void redact(Map<String, String> headers) {
		if (headers.isEmpty()) {
			return;
		}
		headers.forEach((name, value) -> {
			if (!value.isEmpty()) {
				replacements.put("{" + name + ": " + value + "}", "{" + name + ": [redacted]}");
				if (name.equalsIgnoreCase("Authorization") || name.equalsIgnoreCase("Proxy-Authorization")) {
					replacements.put(value, "[redacted]");
				}
			}
		});
		install();
	}

	private static synchronized void install() {
		if (logger != null) {
			return;
		}
		Logger jdkLogger = Logger.getLogger(LOGGER_NAME);
		Filter existing = jdkLogger.getFilter();
		jdkLogger.setFilter((record) -> {
			redact(record);
			return existing == null || existing.isLoggable(record);
		});
		logger = jdkLogger;
	}

	private static void redact(LogRecord record) {
		String message = record.getMessage();
		if (message == null) {
			return;
		}
		String redacted = message;
		for (Map.Entry<String, String> replacement : replacements.entrySet()) {
			redacted = redacted.replace(replacement.getKey(), replacement.getValue());
		}
		if (!redacted.equals(message)) {
			record.setMessage(redacted);
		}
	}

}
