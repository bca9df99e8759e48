package io.github.batchpushgateway.push;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Authenticator;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

/**
 * Exchanges on the JDK's {@link HttpURLConnection}, for a plain-HTTP gateway when no credentials
 * and no headers of the application's are set. In a cold process its first exchange costs a few
 * milliseconds, where the JDK's {@code HttpClient} takes hundreds of milliseconds of CPU to build
 * (its selector thread, its TLS set-up even for plain HTTP) and to make its first exchange: a
 * batch job run by cron pays that in every run.
 *
 * <p>{@code HttpURLConnection} logs every request's headers at {@code FINE} (the JDK's
 * {@code sun.net.www.protocol.http.HttpURLConnection} logger), which is why no request with an
 * {@code Authorization} or any other header of the application's goes this way: what it logs here
 * is the request line (the group's path) and headers the JDK sets itself. Proxies are the JVM's
 * default {@code ProxySelector}'s, as for the JDK's client; the JVM's default
 * {@link Authenticator}, when one is set, is never asked for credentials; redirects are not
 * followed. Connections are kept alive by the JDK's keep-alive cache (whose timer thread lives
 * while connections are idle in it, 5 seconds by default), shared with the application's own
 * {@code HttpURLConnection} requests to the same host unless the JVM has a default
 * {@code Authenticator}.
 */
final class UrlConnectionExchange implements GatewayExchange {

	/** Asks nobody: the JVM's default authenticator must not add credentials to a request. */
	private static final Authenticator NO_CREDENTIALS = new Authenticator() {
	};

	private final String description;

	private final int connectTimeoutMillis;

	private final Duration readTimeout;

	/**
	 * Creates the exchange.
	 * @param description how errors name the gateway
	 * @param connectTimeout how long to wait for a connection
	 * @param readTimeout how long to wait for the whole answer
	 */
	UrlConnectionExchange(String description, Duration connectTimeout, Duration readTimeout) {
		this.description = description;
		this.connectTimeoutMillis = millis(connectTimeout);
		this.readTimeout = readTimeout;
	}

	/**
	 * Sends the request and reads the whole answer within the read timeout. Each read of the
	 * connection waits at most that long, and the exchange as a whole is bounded by a deadline: it
	 * closes a connection still waiting for the answer's headers (and the JDK then does not send
	 * the request again), and the body is read in chunks and given up at the first chunk after it,
	 * so that a gateway or proxy that sends its answer a byte at a time cannot hold the target's
	 * sending thread either. A body that stops altogether is given up by the read's own timeout,
	 * at most one read timeout after the deadline.
	 */
	@Override
	public Answer send(GatewayRequest request, byte @Nullable [] body, int length) throws IOException {
		HttpURLConnection connection = (HttpURLConnection) request.url().openConnection();
		connection.setRequestMethod(request.method());
		connection.setConnectTimeout(this.connectTimeoutMillis);
		connection.setReadTimeout(millis(this.readTimeout));
		connection.setInstanceFollowRedirects(false);
		connection.setUseCaches(false);
		if (Authenticator.getDefault() != null) {
			// Only then: the JDK's keep-alive cache closes a cached connection that a request with
			// another Authenticator asks for, so setting one always would make this exchange and
			// the application's own requests to the same host close each other's connections.
			connection.setAuthenticator(NO_CREDENTIALS);
		}
		for (Map.Entry<String, String> header : request.headers().entrySet()) {
			connection.setRequestProperty(header.getKey(), header.getValue());
		}
		connection.setDoOutput(body != null);
		// Connected first, so that a failure to connect, a connect timeout included, is told
		// apart from a timeout of the answer.
		connection.connect();
		// Closed by the deadline only while the headers are awaited: closing it while its body is
		// read hands the body to the JDK's keep-alive cleaner, whose drain the read then waits for.
		DisconnectWhileAwaitingHeaders awaitingHeaders = new DisconnectWhileAwaitingHeaders(connection);
		ExchangeDeadline deadline = ExchangeDeadline.start(this.readTimeout, awaitingHeaders);
		int status;
		byte[] answer;
		try {
			if (body != null) {
				// Buffered by the connection, not streamed: a kept-alive connection that the gateway
				// closed meanwhile is then replaced and the request sent again, as a PUT may be.
				try (OutputStream out = connection.getOutputStream()) {
					out.write(body, 0, length);
				}
			}
			status = connection.getResponseCode();
			awaitingHeaders.headersCame();
			answer = read((status < 400) ? connection.getInputStream() : connection.getErrorStream(), deadline);
		}
		catch (IOException ex) {
			// The JDK says only "Read timed out", and nothing when the deadline closed the connection.
			throw (deadline.passed() || ex instanceof SocketTimeoutException) ? timedOut(ex) : ex;
		}
		finally {
			deadline.end();
		}
		if (deadline.passed()) {
			// Given up between two chunks, or the close cut the answer short.
			throw timedOut(null);
		}
		return new Answer(status, answer);
	}

	/**
	 * Reads the answer to its end, or until the deadline passed, and closes it, which returns the
	 * connection to the keep-alive cache.
	 */
	private static byte[] read(@Nullable InputStream answer, ExchangeDeadline deadline) throws IOException {
		if (answer == null) {
			return new byte[0];
		}
		try (answer) {
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			byte[] chunk = new byte[8192];
			int read;
			while (!deadline.passed() && (read = answer.read(chunk)) != -1) {
				bytes.write(chunk, 0, read);
			}
			return bytes.toByteArray();
		}
	}

	private SocketTimeoutException timedOut(@Nullable IOException cause) {
		SocketTimeoutException timedOut = new SocketTimeoutException(
				"Timed out waiting for the whole answer of " + this.description + " (read timeout " + this.readTimeout + ")");
		timedOut.initCause(cause);
		return timedOut;
	}

	/** At least 1 ms: {@code HttpURLConnection} takes 0 for no timeout at all. */
	private static int millis(Duration duration) {
		return (int) Math.max(1, Math.min(Integer.MAX_VALUE, duration.toMillis()));
	}

	/**
	 * Closes the connection when the deadline passes while the answer's headers are awaited. A
	 * class rather than a lambda: a lambda spins a class at its first use, which a short job's JVM
	 * pays at its first push (see {@code GroupSender.Attempt}).
	 */
	private static final class DisconnectWhileAwaitingHeaders implements Runnable {

		private final HttpURLConnection connection;

		private final AtomicBoolean awaiting = new AtomicBoolean(true);

		DisconnectWhileAwaitingHeaders(HttpURLConnection connection) {
			this.connection = connection;
		}

		/** The headers came: the deadline no longer closes the connection. */
		void headersCame() {
			this.awaiting.set(false);
		}

		@Override
		public void run() {
			if (this.awaiting.compareAndSet(true, false)) {
				this.connection.disconnect();
			}
		}

	}

}
