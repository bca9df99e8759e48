package io.github.batchpushgateway.push;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpServer;
import io.github.batchpushgateway.testsupport.PushgatewayServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Tests for {@link PushgatewayHttpClient}: against a real Pushgateway, and against an in-process
 * server for the answers a real gateway does not give.
 */
class PushgatewayHttpClientTests {

	@Test
	void pushReplacesTheGroupAndReadBackFindsItsOutcomes() throws Exception {
		try (PushgatewayServer gateway = PushgatewayServer.start()) {
			PushgatewayHttpClient client = PushgatewayHttpClient.builder(URI.create(gateway.url()))
				.format(PushgatewayHttpClient.Format.TEXT)
				.build();
			PushGroup group = new PushGroup("..", Map.of("region", "a/b"));

			client.push(group, lastSuccess(1_700_000_000.5));
			client.push(group, lastSuccess(1_700_000_100));

			assertThat(gateway.metrics().require("batch_job_last_success_timestamp_seconds",
					Map.of("job", "..", "region", "a/b"))).isEqualTo(1_700_000_100);
			assertThat(client.readOutcomes(group).lastSuccess()).isEqualTo(Instant.ofEpochSecond(1_700_000_100));
			assertThat(client.readOutcomes(PushGroup.of("absent"))).isEqualTo(GroupOutcomes.NONE);
		}
	}

	@Test
	void aPlainHttpGatewayWithoutHeadersIsSpokenToOverHttpUrlConnection() throws Exception {
		// HttpURLConnection logs request headers at FINE: only requests without any of the
		// application's go that way; the JDK's HttpClient costs a cold process hundreds of ms
		URI plain = URI.create("http://127.0.0.1:9091");

		assertThat(PushgatewayHttpClient.builder(plain).build().exchange()).isInstanceOf(UrlConnectionExchange.class);
		assertThat(List.of(PushgatewayHttpClient.builder(plain).basicAuth("pusher", "pw").build(),
				PushgatewayHttpClient.builder(plain).bearerToken("token").build(),
				PushgatewayHttpClient.builder(plain).header("X-Proxy-Key", "key").build(),
				PushgatewayHttpClient.builder(plain).sslContext(SSLContext.getDefault()).build(),
				PushgatewayHttpClient.builder(URI.create("https://127.0.0.1:9091")).build()))
			.allSatisfy((client) -> assertThat(client.exchange()).isInstanceOf(JdkClientExchange.class));
	}

	@Test
	void aPlainHttpJdkClientDoesNotBuildTheJvmsDefaultTlsContextAndAnHttpsOneUsesIt() throws Exception {
		// the default context reads the JDK's whole trust store: a cold process pays for it
		PushgatewayHttpClient plain = PushgatewayHttpClient.builder(URI.create("http://127.0.0.1:9091"))
			.bearerToken("token")
			.build();
		PushgatewayHttpClient secure = PushgatewayHttpClient.builder(URI.create("https://127.0.0.1:9091")).build();

		assertThat(jdkClient(plain).sslContext()).isNotSameAs(SSLContext.getDefault());
		assertThat(jdkClient(secure).sslContext()).isSameAs(SSLContext.getDefault());
	}

	@Test
	void aPlainHttpGatewayWithoutHeadersStartsNoClientThread() throws Exception {
		try (PushgatewayServer gateway = PushgatewayServer.start()) {
			Set<String> before = threadNames();
			PushgatewayHttpClient client = PushgatewayHttpClient.builder(URI.create(gateway.url())).build();

			client.push(PushGroup.of("job"), lastSuccess(1));

			assertThat(client.readOutcomes(PushGroup.of("job")).lastSuccess()).isEqualTo(Instant.ofEpochSecond(1));
			assertThat(threadNames()).noneMatch(
					(name) -> name.matches("HttpClient-\\d+-SelectorManager") && !before.contains(name));
		}
	}

	@Test
	void aRestartWithoutPersistenceFileShowsAsANewStartAndNoGroups() throws Exception {
		try (PushgatewayServer gateway = PushgatewayServer.start()) {
			PushgatewayHttpClient client = PushgatewayHttpClient.builder(URI.create(gateway.url())).build();
			PushGroup group = new PushGroup("importJob", Map.of("region", "eu"));
			client.push(group, lastSuccess(1_700_000_000));
			Instant firstStart = client.startTime();

			assertThat(firstStart).isBetween(Instant.now().minusSeconds(600), Instant.now());
			assertThat(client.heldGroups()).containsExactly(group);

			gateway.restart();

			assertThat(client.startTime()).isAfter(firstStart);
			assertThat(client.heldGroups()).isEmpty();
		}
	}

	@ParameterizedTest
	@EnumSource
	void anErrorAnswerIsThrownWithTheStatusReadFromTheConnection(Exchange way) throws Exception {
		HttpServer server = server(503, "overloaded\nplease retry", Duration.ZERO);
		try {
			PushgatewayHttpClient client = client(server, Duration.ofSeconds(5), way);

			assertThatExceptionOfType(PushRejectedException.class)
				.isThrownBy(() -> client.push(PushGroup.of("job"), lastSuccess(1)))
				.satisfies((ex) -> {
					assertThat(ex.getStatus()).isEqualTo(503);
					assertThat(ex.isTransient()).isTrue();
					assertThat(ex.getMessage()).contains("503", "overloaded please retry");
				});
		}
		finally {
			server.stop(0);
		}
	}

	@Test
	void credentialsTravelInTheHeaderAndNeverInMessages() throws Exception {
		AtomicReference<String> authorization = new AtomicReference<>();
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", (exchange) -> {
			authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
			exchange.sendResponseHeaders(401, -1);
			exchange.close();
		});
		server.start();
		try {
			PushgatewayHttpClient client = PushgatewayHttpClient
				.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
				.basicAuth("pusher", "s3cr3t")
				.build();

			assertThatExceptionOfType(PushRejectedException.class)
				.isThrownBy(() -> client.push(PushGroup.of("job"), lastSuccess(1)))
				.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("s3cr3t").contains("401"));
			assertThat(authorization.get()).isEqualTo("Basic cHVzaGVyOnMzY3IzdA==");
			assertThat(client.describe()).doesNotContain("pusher");
		}
		finally {
			server.stop(0);
		}
	}

	@ParameterizedTest
	@EnumSource
	void aHangingGatewayIsGivenUpAfterTheReadTimeout(Exchange way) throws Exception {
		HttpServer server = server(200, "", Duration.ofSeconds(5));
		try {
			PushgatewayHttpClient client = client(server, Duration.ofMillis(300), way);
			long start = System.nanoTime();

			assertThatIOException().isThrownBy(() -> client.push(PushGroup.of("job"), lastSuccess(1)))
				.withMessageContainingAll("imed out", "127.0.0.1");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
		}
		finally {
			server.stop(0);
		}
	}

	@ParameterizedTest
	@EnumSource
	void aGatewayThatStallsAfterItsHeadersIsGivenUpAfterTheReadTimeout(Exchange way) throws Exception {
		// The headers come at once, the body never ends: the request's own timeout covers only the
		// headers, so without a bound on the whole answer the target's thread would wait for ever.
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", (exchange) -> {
			exchange.sendResponseHeaders(200, 10_000);
			exchange.getResponseBody().write("# partial".getBytes(StandardCharsets.UTF_8));
			exchange.getResponseBody().flush();
			try {
				Thread.sleep(5_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			exchange.close();
		});
		server.start();
		try {
			PushgatewayHttpClient client = client(server, Duration.ofMillis(300), way);
			long start = System.nanoTime();

			assertThatIOException().isThrownBy(() -> client.readOutcomes(PushGroup.of("job")))
				.withMessageContaining("imed out");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
		}
		finally {
			server.stop(0);
		}
	}

	@ParameterizedTest
	@EnumSource
	void aGatewayThatAnswersAByteAtATimeIsGivenUpAfterTheReadTimeout(Exchange way) throws Exception {
		// Every read gets a byte within the read timeout: only a bound on the whole answer ends it.
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", (request) -> {
			request.sendResponseHeaders(200, 100);
			try {
				for (int i = 0; i < 100; i++) {
					request.getResponseBody().write('#');
					request.getResponseBody().flush();
					Thread.sleep(100);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (IOException ex) {
				// the client gave up
			}
			request.close();
		});
		server.start();
		try {
			PushgatewayHttpClient client = client(server, Duration.ofMillis(500), way);
			long start = System.nanoTime();

			assertThatIOException().isThrownBy(() -> client.readOutcomes(PushGroup.of("job")))
				.withMessageContaining("Timed out waiting for the whole answer");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
		}
		finally {
			server.stop(0);
		}
	}

	@ParameterizedTest
	@EnumSource
	void aGatewayThatSendsItsHeadersAByteAtATimeIsGivenUpAfterTheReadTimeout(Exchange way) throws Exception {
		// No HTTP server of the JDK's sends headers slowly: a socket that answers by hand.
		try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			Thread answering = new Thread(() -> {
				try (Socket socket = server.accept()) {
					socket.getInputStream().read(new byte[8192]);
					OutputStream out = socket.getOutputStream();
					out.write("HTTP/1.1 200 OK\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
					for (int i = 0; i < 100; i++) {
						out.write('a');
						out.flush();
						Thread.sleep(100);
					}
				}
				catch (IOException | InterruptedException ex) {
					// the client gave up
				}
			});
			answering.setDaemon(true);
			answering.start();
			PushgatewayHttpClient client = way.builder(URI.create("http://127.0.0.1:" + server.getLocalPort()))
				.readTimeout(Duration.ofMillis(500))
				.build();
			long start = System.nanoTime();

			assertThatIOException().isThrownBy(() -> client.push(PushGroup.of("job"), lastSuccess(1)))
				.withMessageContaining("Timed out waiting for the whole answer");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
		}
	}

	@ParameterizedTest
	@EnumSource
	void pushesKeepTheirConnectionAlive(Exchange way) throws Exception {
		// Each push on a new connection would add a TCP handshake to every job's end. The real
		// gateway does not tell which connection a request came on: this server does.
		List<Integer> clientPorts = new CopyOnWriteArrayList<>();
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", (exchange) -> {
			clientPorts.add(exchange.getRemoteAddress().getPort());
			exchange.getRequestBody().readAllBytes();
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		server.start();
		try {
			PushgatewayHttpClient client = client(server, Duration.ofSeconds(5), way);

			for (int i = 0; i < 3; i++) {
				client.push(PushGroup.of("job"), lastSuccess(i));
			}

			assertThat(clientPorts).hasSize(3).containsOnly(clientPorts.get(0));
		}
		finally {
			server.stop(0);
		}
	}

	@ParameterizedTest
	@EnumSource
	void eachPushSendsExactlyItsOwnPayloadFromTheBufferKeptSinceTheLastPush(Exchange way) throws Exception {
		// The buffer is lent to the exchange, not copied: a smaller payload after a larger one
		// must not carry the larger one's tail.
		List<byte[]> bodies = new CopyOnWriteArrayList<>();
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", (exchange) -> {
			bodies.add(exchange.getRequestBody().readAllBytes());
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		server.start();
		try {
			PushgatewayHttpClient client = client(server, Duration.ofSeconds(5), way);
			MetricSnapshots large = samples(500);
			MetricSnapshots small = lastSuccess(2);

			client.push(PushGroup.of("job"), large);
			PayloadBuffer kept = client.spareBody();
			client.push(PushGroup.of("job"), small);

			assertThat(kept).isNotNull();
			assertThat(client.spareBody()).isSameAs(kept);
			assertThat(bodies).hasSize(2);
			assertThat(new String(bodies.get(0), StandardCharsets.UTF_8)).isEqualTo(text(large));
			assertThat(new String(bodies.get(1), StandardCharsets.UTF_8)).isEqualTo(text(small));
		}
		finally {
			server.stop(0);
		}
	}

	@Test
	void theJdkClientHandlesTheAnswerWithoutAThreadOfItsOwn() throws Exception {
		// The JDK's client hands each answer from its selector thread to a pool thread of its own
		// unless told otherwise: one more thread to wake between the gateway's answer and the
		// sending thread. Its threads are named after the client's number.
		try (PushgatewayServer gateway = PushgatewayServer.start()) {
			Set<String> before = threadNames();
			PushgatewayHttpClient client = Exchange.JDK_CLIENT.builder(URI.create(gateway.url())).build();
			String selector = threadNames().stream()
				.filter((name) -> !before.contains(name) && name.matches("HttpClient-\\d+-SelectorManager"))
				.findFirst()
				.orElseThrow();
			String workers = selector.replace("SelectorManager", "Worker-");

			client.push(PushGroup.of("job"), lastSuccess(1));
			client.readOutcomes(PushGroup.of("job"));
			client.push(PushGroup.of("job"), lastSuccess(2));

			assertThat(threadNames()).noneMatch((name) -> name.startsWith(workers));
		}
	}

	@ParameterizedTest
	@EnumSource
	void noThreadIsStartedPerPush(Exchange way) throws Exception {
		// sendAsync hands each answer to CompletableFuture's default executor, which on a machine
		// of two cores (as the project's) starts a thread per task: a thread per push.
		try (PushgatewayServer gateway = PushgatewayServer.start()) {
			PushgatewayHttpClient client = way.builder(URI.create(gateway.url())).build();
			client.push(PushGroup.of("job"), lastSuccess(0));
			ThreadMXBean threads = ManagementFactory.getThreadMXBean();
			long started = threads.getTotalStartedThreadCount();

			for (int i = 1; i <= 10; i++) {
				client.push(PushGroup.of("job"), lastSuccess(i));
			}

			assertThat(threads.getTotalStartedThreadCount() - started).isLessThan(2);
		}
	}

	@Test
	void credentialsInTheAddressAreRefused() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> PushgatewayHttpClient.builder(URI.create("http://user:pw@localhost:9091")))
			.withMessageNotContaining("pw");
	}

	private static PushgatewayHttpClient client(HttpServer server, Duration readTimeout, Exchange exchange) {
		return exchange.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
			.readTimeout(readTimeout)
			.build();
	}

	private static HttpClient jdkClient(PushgatewayHttpClient client) {
		return ((JdkClientExchange) client.exchange()).httpClient();
	}

	private static HttpServer server(int status, String body, Duration delay) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", (exchange) -> {
			try {
				Thread.sleep(delay.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			exchange.getRequestBody().readAllBytes();
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(status, (bytes.length == 0) ? -1 : bytes.length);
			if (bytes.length > 0) {
				exchange.getResponseBody().write(bytes);
			}
			exchange.close();
		});
		server.start();
		return server;
	}

	private static Set<String> threadNames() {
		return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).collect(Collectors.toSet());
	}

	/** The two ways to a plain-HTTP gateway: without headers, and with one. */
	enum Exchange {

		URL_CONNECTION, JDK_CLIENT;

		PushgatewayHttpClient.Builder builder(URI base) {
			PushgatewayHttpClient.Builder builder = PushgatewayHttpClient.builder(base);
			return (this == URL_CONNECTION) ? builder : builder.header("X-Pushed-By", "test");
		}

	}

	private static MetricSnapshots samples(int count) {
		GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name("test_sample");
		for (int i = 0; i < count; i++) {
			gauge.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("i", Integer.toString(i))).value(i).build());
		}
		return new MetricSnapshots(gauge.build());
	}

	private static String text(MetricSnapshots metrics) throws IOException {
		ByteArrayOutputStream text = new ByteArrayOutputStream();
		PrometheusTextFormatWriter.create().write(text, metrics);
		return text.toString(StandardCharsets.UTF_8);
	}

	private static MetricSnapshots lastSuccess(double value) {
		return new MetricSnapshots(GaugeSnapshot.builder()
			.name("batch_job_last_success_timestamp_seconds")
			.dataPoint(GaugeDataPointSnapshot.builder().value(value).build())
			.build());
	}

}
