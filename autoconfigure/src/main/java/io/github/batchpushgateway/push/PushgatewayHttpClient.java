package io.github.batchpushgateway.push;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.Reader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

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
 */
public final class PushgatewayHttpClient implements PushClient {

	private static final int MAX_ANSWER = 300;

	/** The start in the status API's answer; a JSON parser would be a dependency for one field. */
	private static final Pattern START_TIME = Pattern.compile("\"start_time\"\\s*:\\s*\"([^\"]+)\"");

	private final URI base;

	private final String description;

	private final Map<String, String> headers;

	private final ExpositionFormatWriter writer;

	private final Duration readTimeout;

	private final HttpClient http;

	private PushgatewayHttpClient(Builder builder) {
		this.base = builder.base;
		this.description = builder.base.toString();
		this.headers = Map.copyOf(builder.headers);
		this.writer = (builder.format == Format.TEXT) ? PrometheusTextFormatWriter.create()
				: new PrometheusProtobufWriter();
		this.readTimeout = positive(builder.readTimeout);
		// HTTP/1.1: the gateway speaks nothing else over plain HTTP, and an upgrade attempt would
		// only cost a round trip. Proxies are the JVM's (its default ProxySelector, as the
		// http(s).proxyHost system properties set it). The client logs no header unless the
		// application asks it to (jdk.httpclient.HttpClient.log), so credentials need no filter.
		// The answer is handled on the client's selector thread, which reads it: its default
		// executor would hand each answer to a pool thread of its own, one more thread to wake
		// (on a busy machine, a scheduling delay) between the gateway's answer and the sending
		// thread. Nothing handled there blocks: the answer is collected as bytes, and the sending
		// thread waits for it in send.
		HttpClient.Builder http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.executor(Runnable::run)
			.connectTimeout(positive(builder.connectTimeout));
		if (builder.sslContext != null) {
			http.sslContext(builder.sslContext);
		}
		else if ("http".equalsIgnoreCase(builder.base.getScheme())) {
			// Never used (no redirects are followed, an HTTP proxy is spoken to in plain HTTP), but
			// without one the client builds the JVM's default context, reading and parsing every
			// certificate of the JDK's trust store: hundreds of classes and milliseconds of CPU
			// in each cold process.
			http.sslContext(unusedSslContext());
		}
		this.http = http.build();
	}

	/** The JDK client underneath, for tests of how it is built. */
	HttpClient httpClient() {
		return this.http;
	}

	private static SSLContext unusedSslContext() {
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(new KeyManager[0], new TrustManager[0], null);
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("No TLS context in this JVM", ex);
		}
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
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		this.writer.write(body, metrics);
		HttpRequest request = request(GroupPath.of(group)).header("Content-Type", this.writer.getContentType())
			.PUT(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
			.build();
		exchange(request, "the push of " + group);
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
		byte[] answer = exchange(request("/api/v1/status").GET().build(), "the read of its status");
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
		HttpRequest request = request("/metrics").header("Accept", "text/plain; version=0.0.4").GET().build();
		return new InputStreamReader(new ByteArrayInputStream(exchange(request, purpose)), StandardCharsets.UTF_8);
	}

	/**
	 * Sends the request and returns the answer's body, or throws a {@link PushRejectedException}
	 * with its status when it is not 2xx.
	 * @param purpose what the request is for, as the error names it ("the push of job=…")
	 */
	private byte[] exchange(HttpRequest request, String purpose) throws IOException {
		HttpResponse<byte[]> response = send(request);
		int status = response.statusCode();
		if (status / 100 != 2) {
			throw new PushRejectedException(status,
					"Pushgateway answered " + status + " to " + purpose + ": " + answer(response.body()));
		}
		return response.body();
	}

	@Override
	public String describe() {
		return this.description;
	}

	private HttpRequest.Builder request(String path) {
		// No request timeout: send bounds the whole answer, headers included, and a request's own
		// timeout would add a timer, and a wake-up of the selector thread, to every exchange.
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path));
		this.headers.forEach(request::header);
		return request;
	}

	/**
	 * Sends the request and reads the whole answer within the read timeout. A request's own
	 * timeout would cover only the wait for the answer's headers: a gateway or proxy that sends
	 * them and then stalls would block the target's sending thread for ever, so the exchange as a
	 * whole is bounded here (as every read of the connection used to be), and cancelled when the
	 * bound is reached. The blocking {@code send}, not {@code sendAsync}: the JDK hands each
	 * answer of {@code sendAsync} to {@code CompletableFuture}'s default executor, which on a
	 * machine of two cores starts a thread per answer; {@code send} runs the exchange on this
	 * thread until it waits for the answer, which the selector thread hands it directly.
	 */
	private HttpResponse<byte[]> send(HttpRequest request) throws IOException {
		ExchangeDeadline deadline = ExchangeDeadline.start(this.readTimeout);
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (InterruptedException ex) {
			if (deadline.passed()) {
				throw timedOut();
			}
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("Interrupted while talking to " + this.description);
		}
		catch (IOException ex) {
			// The deadline's interrupt can also come while the request is written: the JDK then
			// closes the channel, and the exchange fails with that.
			throw deadline.passed() ? timedOut() : named(ex);
		}
		finally {
			deadline.end();
		}
	}

	private HttpTimeoutException timedOut() {
		return new HttpTimeoutException(
				"Timed out waiting for the whole answer of " + this.description + " (read timeout " + this.readTimeout + ")");
	}

	private static IOException named(IOException failure) {
		if (failure instanceof ConnectException connect && connect.getMessage() == null) {
			// The JDK's client says nothing more than its class (nor does its cause): the outage
			// warning is to name what happened. A connect timeout has an exception of its own.
			ConnectException named = new ConnectException("Connection refused or unreachable");
			named.initCause(connect);
			return named;
		}
		return failure;
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
