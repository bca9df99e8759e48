package io.github.batchpushgateway.push;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RequestLogRedaction}, on the java.util.logging logger the JDK's
 * {@code HttpURLConnection} writes its request headers to.
 */
class RequestLogRedactionTests {

	private final Logger jdkLogger = Logger.getLogger(RequestLogRedaction.LOGGER_NAME);

	private final List<String> logged = new ArrayList<>();

	private final Handler handler = new Handler() {

		@Override
		public void publish(LogRecord record) {
			RequestLogRedactionTests.this.logged.add(record.getMessage());
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	private Level level;

	@BeforeEach
	void listen() {
		this.level = this.jdkLogger.getLevel();
		this.jdkLogger.setLevel(Level.FINE);
		this.jdkLogger.addHandler(this.handler);
	}

	@AfterEach
	void stopListening() {
		this.jdkLogger.removeHandler(this.handler);
		this.jdkLogger.setLevel(this.level);
	}

	@Test
	void theHeadersTheClientSendsAreRedactedFromTheJdksRequestLog() {
		RequestLogRedaction.redact(Map.of("Authorization", "Basic YWxpY2U6czNjcjN0", "X-Tenant", "north"));

		// as HttpURLConnection logs a request: its MessageHeader's toString
		this.jdkLogger.fine("sun.net.www.MessageHeader@1a2b3c 3 pairs: {PUT /metrics/job/importJob HTTP/1.1: null}"
				+ "{Authorization: Basic YWxpY2U6czNjcjN0}{X-Tenant: north}");
		this.jdkLogger.fine("Redirected from Basic YWxpY2U6czNjcjN0 to nowhere");
		this.jdkLogger.fine("GET /metrics/job/north HTTP/1.1");

		assertThat(this.logged).containsExactly(
				"sun.net.www.MessageHeader@1a2b3c 3 pairs: {PUT /metrics/job/importJob HTTP/1.1: null}"
						+ "{Authorization: [redacted]}{X-Tenant: [redacted]}",
				"Redirected from [redacted] to nowhere", "GET /metrics/job/north HTTP/1.1");
	}

	@Test
	void theHeadersOfEveryClientAreRedacted() {
		// one client per gateway, each with its own credentials
		RequestLogRedaction.redact(Map.of("Authorization", "Bearer first-gateway-token"));
		RequestLogRedaction.redact(Map.of("Authorization", "Bearer second-gateway-token"));

		this.jdkLogger.fine("{Authorization: Bearer first-gateway-token}");
		this.jdkLogger.fine("{Authorization: Bearer second-gateway-token}");

		assertThat(this.logged).containsExactly("{Authorization: [redacted]}", "{Authorization: [redacted]}");
	}

}
