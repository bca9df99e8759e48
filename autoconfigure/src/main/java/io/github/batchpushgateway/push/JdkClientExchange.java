package io.github.batchpushgateway.push;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.GeneralSecurityException;
import java.time.Duration;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

import org.jspecify.annotations.Nullable;

/**
 * Exchanges on the JDK's {@link HttpClient}: for HTTPS, an SSL bundle's context, and any request
 * that carries credentials or headers of the application's. The client logs no header unless the
 * application asks it to ({@code jdk.httpclient.HttpClient.log}), so credentials need no filter.
 */
final class JdkClientExchange implements GatewayExchange {

	private final String description;

	private final Duration readTimeout;

	private final HttpClient http;

	/**
	 * Builds the client.
	 * @param base the gateway's URL, to choose a TLS context by its scheme
	 * @param description how errors name the gateway
	 * @param connectTimeout how long to wait for a connection, positive
	 * @param readTimeout how long to wait for the whole answer, positive
	 * @param sslContext the TLS context of HTTPS connections, {@code null} for the JVM's default
	 */
	JdkClientExchange(URI base, String description, Duration connectTimeout, Duration readTimeout,
			@Nullable SSLContext sslContext) {
		this.description = description;
		this.readTimeout = readTimeout;
		// HTTP/1.1: the gateway speaks nothing else over plain HTTP, and an upgrade attempt would
		// only cost a round trip. Proxies are the JVM's (its default ProxySelector, as the
		// http(s).proxyHost system properties set it). The answer is handled on the client's
		// selector thread, which reads it: its default executor would hand each answer to a pool
		// thread of its own, one more thread to wake (on a busy machine, a scheduling delay)
		// between the gateway's answer and the sending thread. Nothing handled there blocks: the
		// answer is collected as bytes, and the sending thread waits for it in send.
		HttpClient.Builder http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.executor(Runnable::run)
			.connectTimeout(connectTimeout);
		if (sslContext != null) {
			http.sslContext(sslContext);
		}
		else if ("http".equalsIgnoreCase(base.getScheme())) {
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
	 * Sends the request and reads the whole answer within the read timeout. A request's own
	 * timeout would cover only the wait for the answer's headers: a gateway or proxy that sends
	 * them and then stalls would block the target's sending thread for ever, so the exchange as a
	 * whole is bounded here, and cancelled when the bound is reached (a request's own timeout
	 * would also add a timer, and a wake-up of the selector thread, to every exchange). The
	 * blocking {@code send}, not {@code sendAsync}: the JDK hands each answer of
	 * {@code sendAsync} to {@code CompletableFuture}'s default executor, which on a machine of two
	 * cores starts a thread per answer; {@code send} runs the exchange on this thread until it
	 * waits for the answer, which the selector thread hands it directly.
	 */
	@Override
	public Answer send(GatewayRequest request, byte @Nullable [] body, int length) throws IOException {
		HttpRequest.Builder http = HttpRequest.newBuilder(request.uri())
			.method(request.method(), (body != null) ? HttpRequest.BodyPublishers.ofByteArray(body, 0, length)
					: HttpRequest.BodyPublishers.noBody());
		request.headers().forEach(http::header);
		ExchangeDeadline deadline = ExchangeDeadline.start(this.readTimeout);
		try {
			HttpResponse<byte[]> response = this.http.send(http.build(), HttpResponse.BodyHandlers.ofByteArray());
			return new Answer(response.statusCode(), response.body());
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

}
