package io.github.batchpushgateway.push;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * A {@link PushClient} for one Pushgateway, configured once: address, TLS, credentials, format and
 * timeouts are fixed when it is built, so a push only opens a connection and writes. A push is a
 * {@code PUT} of the group's complete state (series of earlier runs disappear); the read-back is a
 * {@code GET /metrics}. Error answers are thrown as {@link PushRejectedException}s carrying the
 * HTTP status read from the connection.
 */
public final class PushgatewayHttpClient implements PushClient {

	private static final int MAX_ANSWER = 300;

	private final URI base;

	private final String description;

	private final Map<String, String> headers;

	private final ExpositionFormatWriter writer;

	private final int connectTimeout;

	private final int readTimeout;

	private final @Nullable SSLSocketFactory socketFactory;

	private PushgatewayHttpClient(Builder builder) {
		this.base = builder.base;
		this.description = builder.base.toString();
		this.headers = Map.copyOf(builder.headers);
		RequestLogRedaction.redact(this.headers);
		this.writer = (builder.format == Format.TEXT) ? PrometheusTextFormatWriter.create()
				: new PrometheusProtobufWriter();
		this.connectTimeout = millis(builder.connectTimeout);
		this.readTimeout = millis(builder.readTimeout);
		this.socketFactory = builder.socketFactory;
	}

	/**
	 * Starts a client for the gateway at the given base URL.
	 * @param base the gateway's URL, such as {@code http://localhost:9091}, without credentials
	 * @return a builder
	 */
	public static Builder builder(URI base) {
		return new Builder(base);
	}

	@Override
	public void push(PushGroup group, MetricSnapshots metrics) throws IOException {
		HttpURLConnection connection = open(GroupPath.of(group));
		try {
			connection.setRequestMethod("PUT");
			connection.setDoOutput(true);
			connection.setRequestProperty("Content-Type", this.writer.getContentType());
			try (OutputStream body = connection.getOutputStream()) {
				this.writer.write(body, metrics);
			}
			int status = connection.getResponseCode();
			if (status / 100 != 2) {
				throw new PushRejectedException(status,
						"Pushgateway answered " + status + " to the push of " + group + ": " + answer(connection));
			}
			drain(connection);
		}
		finally {
			connection.disconnect();
		}
	}

	@Override
	public GroupOutcomes readOutcomes(PushGroup group) throws IOException {
		HttpURLConnection connection = open("/metrics");
		try {
			connection.setRequestProperty("Accept", "text/plain; version=0.0.4");
			int status = connection.getResponseCode();
			if (status / 100 != 2) {
				throw new PushRejectedException(status,
						"Pushgateway answered " + status + " to the read of " + group + ": " + answer(connection));
			}
			try (InputStreamReader text = new InputStreamReader(connection.getInputStream(),
					StandardCharsets.UTF_8)) {
				return ExposedSamples.outcomesOf(group, text);
			}
		}
		finally {
			connection.disconnect();
		}
	}

	@Override
	public String describe() {
		return this.description;
	}

	private HttpURLConnection open(String path) throws IOException {
		URL url = URI.create(this.base + path).toURL();
		HttpURLConnection connection = (HttpURLConnection) url.openConnection();
		if (this.socketFactory != null && connection instanceof HttpsURLConnection https) {
			https.setSSLSocketFactory(this.socketFactory);
		}
		connection.setConnectTimeout(this.connectTimeout);
		connection.setReadTimeout(this.readTimeout);
		this.headers.forEach(connection::setRequestProperty);
		return connection;
	}

	/** The start of the gateway's answer, on one line: it names what was wrong. */
	private static String answer(HttpURLConnection connection) {
		try (InputStream error = connection.getErrorStream()) {
			if (error == null) {
				return "(no answer)";
			}
			String text = new String(error.readNBytes(MAX_ANSWER), StandardCharsets.UTF_8);
			return text.replaceAll("\\s+", " ").trim();
		}
		catch (IOException ex) {
			return "(answer unreadable)";
		}
	}

	/** Reading the answer to its end lets the JVM keep the connection alive for the next push. */
	private static void drain(HttpURLConnection connection) throws IOException {
		try (InputStream answer = connection.getInputStream()) {
			answer.transferTo(OutputStream.nullOutputStream());
		}
	}

	private static int millis(Duration duration) {
		return (int) Math.min(Integer.MAX_VALUE, Math.max(1, duration.toMillis()));
	}

	/** The payload format. */
	public enum Format {

		/** Prometheus protobuf, the Pushgateway's most compact input. */
		PROTOBUF,

		/** Prometheus text format 0.0.4. */
		TEXT

	}

	/**
	 * Builds a client. Every setting is fixed once {@link #build()} is called.
	 */
	public static final class Builder {

		private final URI base;

		private final Map<String, String> headers = new LinkedHashMap<>();

		private Format format = Format.PROTOBUF;

		private Duration connectTimeout = Duration.ofSeconds(2);

		private Duration readTimeout = Duration.ofSeconds(5);

		private @Nullable SSLSocketFactory socketFactory;

		private Builder(URI base) {
			Assert.notNull(base, "'base' must not be null");
			Assert.isTrue(base.getUserInfo() == null, "'base' must not hold credentials");
			String text = base.toString();
			this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
		}

		/**
		 * Sets the payload format.
		 * @param format the format
		 * @return this builder
		 */
		public Builder format(Format format) {
			Assert.notNull(format, "'format' must not be null");
			this.format = format;
			return this;
		}

		/**
		 * Sets how long to wait for a connection.
		 * @param timeout the connect timeout
		 * @return this builder
		 */
		public Builder connectTimeout(Duration timeout) {
			Assert.notNull(timeout, "'timeout' must not be null");
			this.connectTimeout = timeout;
			return this;
		}

		/**
		 * Sets how long to wait for the gateway's answer.
		 * @param timeout the read timeout
		 * @return this builder
		 */
		public Builder readTimeout(Duration timeout) {
			Assert.notNull(timeout, "'timeout' must not be null");
			this.readTimeout = timeout;
			return this;
		}

		/**
		 * Sets the socket factory of HTTPS connections, such as an SSL bundle's.
		 * @param socketFactory the socket factory, {@code null} for the JVM's default
		 * @return this builder
		 */
		public Builder socketFactory(@Nullable SSLSocketFactory socketFactory) {
			this.socketFactory = socketFactory;
			return this;
		}

		/**
		 * Authenticates with HTTP basic authentication.
		 * @param username the user
		 * @param password the password
		 * @return this builder
		 */
		public Builder basicAuth(String username, String password) {
			String credentials = username + ":" + password;
			return header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}

		/**
		 * Authenticates with a bearer token.
		 * @param token the token
		 * @return this builder
		 */
		public Builder bearerToken(String token) {
			return header("Authorization", "Bearer " + token);
		}

		/**
		 * Adds a header to every request, such as one an authenticating proxy needs.
		 * @param name the header's name
		 * @param value its value
		 * @return this builder
		 */
		public Builder header(String name, String value) {
			Assert.hasText(name, "'name' must not be empty");
			Assert.notNull(value, "'value' must not be null");
			this.headers.put(name, value);
			return this;
		}

		/**
		 * Builds the client.
		 * @return the client
		 */
		public PushgatewayHttpClient build() {
			return new PushgatewayHttpClient(this);
		}

	}

}
