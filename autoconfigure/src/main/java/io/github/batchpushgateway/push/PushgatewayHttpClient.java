package io.github.batchpushgateway.push;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

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
 * {@code GET /metrics}, as is the list of groups it holds; its start is a {@code GET /api/v1/status}.
 * Error answers are thrown as {@link PushRejectedException}s carrying the HTTP status read from the
 * connection.
 *
 * <p>Requests to a plain-HTTP gateway without credentials or other headers go over the JDK's
 * {@code HttpURLConnection}, which a cold process starts in milliseconds; with credentials, a
 * header, HTTPS or a TLS context they go over the JDK's {@code java.net.http.HttpClient}, which
 * logs no header. Both bound the whole answer by the read timeout and use the JVM's proxies.
 */
public final class PushgatewayHttpClient implements PushClient {

	private static final int MAX_ANSWER = 300;

	/** The start in the status API's answer; a JSON parser would be a dependency for one field. */
	private static final Pattern START_TIME = Pattern.compile("\"start_time\"\\s*:\\s*\"([^\"]+)\"");

	private final String description;

	private final ExpositionFormatWriter writer;

	private final GatewayExchange exchange;

	/** Each group's push, made once: its path, address and headers never change. */
	private final GroupRequests pushes;

	private final GatewayRequest metricsRead;

	private final GatewayRequest statusRead;

	/**
	 * The body buffer of the last push, to write the next one into; taken while a push writes
	 * and sends, so pushes made at once (a scheduler of the application's with several threads)
	 * never share one.
	 */
	private final AtomicReference<@Nullable PayloadBuffer> spareBody = new AtomicReference<>();

	private PushgatewayHttpClient(Builder builder) {
		this.description = builder.base.toString();
		this.writer = (builder.format == Format.TEXT) ? PrometheusTextFormatWriter.create()
				: new PrometheusProtobufWriter();
		this.exchange = exchange(builder, this.description);
		this.pushes = new GroupRequests(builder.base, builder.headers,
				Map.of("Content-Type", this.writer.getContentType()));
		this.metricsRead = GatewayRequest.of("GET", URI.create(builder.base + "/metrics"), builder.headers,
				Map.of("Accept", "text/plain; version=0.0.4"));
		this.statusRead = GatewayRequest.of("GET", URI.create(builder.base + "/api/v1/status"), builder.headers, Map.of());
	}

	/**
	 * {@code HttpURLConnection} for a plain-HTTP gateway when there is no header of the
	 * application's to keep out of its request log; the JDK's {@code HttpClient} otherwise.
	 */
	private static GatewayExchange exchange(Builder builder, String description) {
		Duration connectTimeout = positive(builder.connectTimeout);
		Duration readTimeout = positive(builder.readTimeout);
		if ("http".equalsIgnoreCase(builder.base.getScheme()) && builder.headers.isEmpty()
				&& builder.sslContext == null) {
			return new UrlConnectionExchange(description, connectTimeout, readTimeout);
		}
		return new JdkClientExchange(builder.base, description, connectTimeout, readTimeout, builder.sslContext);
	}

	/** How requests are sent, for tests of which is chosen. */
	GatewayExchange exchange() {
		return this.exchange;
	}

	/** The body buffer kept for the next push, for tests that it is kept. */
	@Nullable PayloadBuffer spareBody() {
		return this.spareBody.get();
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
		PayloadBuffer body = this.spareBody.getAndSet(null);
		if (body == null) {
			body = new PayloadBuffer();
		}
		body.reset();
		this.writer.write(body, metrics);
		exchange(this.pushes.pushOf(group), body, "the push of ", group);
		if (body.keep()) {
			this.spareBody.set(body);
		}
	}

	@Override
	public GroupOutcomes readOutcomes(PushGroup group) throws IOException {
		return ExposedSamples.outcomesOf(group, exposition("the read of " + group));
	}

	/**
	 * Reads the gateway's start from its status API: a few hundred bytes, however many groups
	 * it holds.
	 */
	@Override
	public @Nullable Instant startTime() throws IOException {
		byte[] answer = exchange(this.statusRead, null, "the read of its status", "");
		Matcher start = START_TIME.matcher(new String(answer, StandardCharsets.UTF_8));
		try {
			return start.find() ? OffsetDateTime.parse(start.group(1)).toInstant() : null;
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	@Override
	public Set<PushGroup> heldGroups() throws IOException {
		return ExposedSamples.groupsOf(exposition("the read of its groups"));
	}

	/**
	 * Reads everything the gateway exposes, in the text format.
	 * @param purpose what the read is for, as named in the error of an answer that is not 2xx
	 */
	private Reader exposition(String purpose) throws IOException {
		byte[] answer = exchange(this.metricsRead, null, purpose, "");
		return new InputStreamReader(new ByteArrayInputStream(answer), StandardCharsets.UTF_8);
	}

	/**
	 * Sends a request and returns the answer's body, or throws a {@link PushRejectedException}
	 * with its status when it is not 2xx.
	 * @param request the request, with the configured headers
	 * @param body its body, {@code null} for none
	 * @param purpose what the request is for, as the error names it ("the push of "), followed
	 * by {@code subject}: joined only when there is an error to name
	 * @param subject what the request is about, such as its group
	 */
	private byte[] exchange(GatewayRequest request, @Nullable PayloadBuffer body, String purpose, Object subject)
			throws IOException {
		GatewayExchange.Answer answer = (body != null) ? this.exchange.send(request, body.bytes(), body.size())
				: this.exchange.send(request, null, 0);
		int status = answer.status();
		if (status / 100 != 2) {
			throw new PushRejectedException(status, "Pushgateway answered " + status + " to " + purpose + subject
					+ ": " + answer(answer.body()));
		}
		return answer.body();
	}

	@Override
	public String describe() {
		return this.description;
	}

	/** The start of the gateway's answer, on one line: it names what was wrong. */
	private static String answer(byte[] answer) {
		String text = new String(answer, 0, Math.min(answer.length, MAX_ANSWER), StandardCharsets.UTF_8);
		return text.isBlank() ? "(no answer)" : text.replaceAll("\\s+", " ").trim();
	}

	/** The HTTP client refuses a zero timeout; the shortest it takes stands for it. */
	private static Duration positive(Duration duration) {
		return (duration.isZero() || duration.isNegative()) ? Duration.ofMillis(1) : duration;
	}

	/** The payload format. */
	public enum Format {

		/** Prometheus protobuf, the Pushgateway's most compact input, costlier to start in a cold JVM. */
		PROTOBUF,

		/** Prometheus text format 0.0.4, the default. */
		TEXT

	}

	/**
	 * Builds a client. Every setting is fixed once {@link #build()} is called.
	 */
	public static final class Builder {

		private final URI base;

		private final Map<String, String> headers = new LinkedHashMap<>();

		private Format format = Format.TEXT;

		private Duration connectTimeout = Duration.ofSeconds(2);

		private Duration readTimeout = Duration.ofSeconds(5);

		private @Nullable SSLContext sslContext;

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
		 * Sets how long to wait for the gateway's whole answer, its headers and its body.
		 * @param timeout the read timeout
		 * @return this builder
		 */
		public Builder readTimeout(Duration timeout) {
			Assert.notNull(timeout, "'timeout' must not be null");
			this.readTimeout = timeout;
			return this;
		}

		/**
		 * Sets the TLS context of HTTPS connections, such as an SSL bundle's.
		 * @param sslContext the context, {@code null} for the JVM's default
		 * @return this builder
		 */
		public Builder sslContext(@Nullable SSLContext sslContext) {
			this.sslContext = sslContext;
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
