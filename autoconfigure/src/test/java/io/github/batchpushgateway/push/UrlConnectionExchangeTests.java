package io.github.batchpushgateway.push;

import java.io.IOException;
import java.io.InputStream;
import java.net.Authenticator;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link UrlConnectionExchange}, against an in-process server: a real gateway neither
 * asks for credentials nor tells which connection a request came on.
 */
class UrlConnectionExchangeTests {

	private HttpServer server;

	/** The client port of each request the server answered: one port per connection. */
	private final List<Integer> clientPorts = new CopyOnWriteArrayList<>();

	@AfterEach
	void stop() {
		Authenticator.setDefault(null);
		if (this.server != null) {
			this.server.stop(0);
		}
	}

	@Test
	void theJvmsDefaultAuthenticatorIsNeverAskedForCredentials() throws Exception {
		AtomicInteger asked = new AtomicInteger();
		Authenticator.setDefault(new Authenticator() {

			@Override
			protected PasswordAuthentication getPasswordAuthentication() {
				asked.incrementAndGet();
				return new PasswordAuthentication("application-user", "application-secret".toCharArray());
			}

		});
		start(401, Map.of("WWW-Authenticate", "Basic realm=\"gateway\""));

		GatewayExchange.Answer answer = exchange().send(put(), body(), body().length);

		assertThat(answer.status()).isEqualTo(401);
		assertThat(asked).hasValue(0);
	}

	@Test
	void withoutADefaultAuthenticatorItsConnectionIsKeptAliveAlongsideTheApplicationsRequests() throws Exception {
		// The JDK's keep-alive cache closes a cached connection that a request with another
		// Authenticator asks for: the exchange and the application's requests would close each other's
		start(200, Map.of());
		UrlConnectionExchange exchange = exchange();

		exchange.send(put(), body(), body().length);
		applicationRequest();
		exchange.send(put(), body(), body().length);
		applicationRequest();

		assertThat(this.clientPorts).hasSize(4);
		assertThat(this.clientPorts.stream().distinct()).hasSize(1);
	}

	private void start(int status, Map<String, String> headers) throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", (request) -> {
			this.clientPorts.add(request.getRemoteAddress().getPort());
			request.getRequestBody().readAllBytes();
			headers.forEach((name, value) -> request.getResponseHeaders().add(name, value));
			request.sendResponseHeaders(status, -1);
			request.close();
		});
		this.server.start();
	}

	private UrlConnectionExchange exchange() {
		return new UrlConnectionExchange("the test's gateway", Duration.ofSeconds(5), Duration.ofSeconds(5));
	}

	private GatewayRequest put() {
		return GatewayRequest.of("PUT", groupUri(), Map.of(), Map.of());
	}

	private URI groupUri() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/metrics/job/test");
	}

	private static byte[] body() {
		return "test_sample 1\n".getBytes(StandardCharsets.UTF_8);
	}

	/** A request of the application's own to the same host, as the JDK makes it by default. */
	private void applicationRequest() throws IOException {
		HttpURLConnection connection = (HttpURLConnection) groupUri().toURL().openConnection();
		assertThat(connection.getResponseCode()).isEqualTo(200);
		try (InputStream in = connection.getInputStream()) {
			in.readAllBytes();
		}
	}

}
