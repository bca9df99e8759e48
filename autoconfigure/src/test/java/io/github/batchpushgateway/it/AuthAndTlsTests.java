package io.github.batchpushgateway.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.github.batchpushgateway.testsupport.PushgatewayServer;
import io.github.batchpushgateway.testsupport.ScrapedMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pushes to real Pushgateways that require basic authentication ({@code basic_auth_users} with
 * a bcrypt hash) and TLS (a self-signed certificate made for the test), both set through the
 * gateway's {@code --web.config.file}.
 */
@ExtendWith(OutputCaptureExtension.class)
class AuthAndTlsTests {

	private static final String USERNAME = "pusher";

	private static final String PASSWORD = "Right-pa55word";

	private static final String WRONG_PASSWORD = "Wrong-pa55word-never-logged";

	private static final String BASIC_AUTH = "Basic "
			+ Base64.getEncoder().encodeToString((USERNAME + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));

	/** Where pushes cannot succeed, the job's end and the application's close need not wait long. */
	private static final String SHORT_FLUSH = "batch.pushgateway.flush-timeout=1s";

	@TempDir
	static Path directory;

	private static Path certificate;

	/** Plain HTTP, basic authentication. */
	private static PushgatewayServer authGateway;

	/** HTTPS with the test certificate, and basic authentication. */
	private static PushgatewayServer tlsGateway;

	@BeforeAll
	static void startGateways() throws Exception {
		certificate = directory.resolve("gateway.crt");
		Path key = directory.resolve("gateway.key");
		SelfSignedCertificate.create(directory, certificate, key);
		String users = "basic_auth_users:\n  " + USERNAME + ": '" + new BCryptPasswordEncoder().encode(PASSWORD) + "'\n";
		authGateway = PushgatewayServer.start(Files.writeString(directory.resolve("auth.yml"), users));
		tlsGateway = PushgatewayServer.start(Files.writeString(directory.resolve("tls.yml"),
				"tls_server_config:\n  cert_file: " + certificate + "\n  key_file: " + key + "\n" + users));
	}

	@AfterAll
	static void stopGateways() {
		if (authGateway != null) {
			authGateway.close();
		}
		if (tlsGateway != null) {
			tlsGateway.close();
		}
	}

	@Test
	void jobWithTheRightCredentialsPushesToAGatewayWithBasicAuthentication(CapturedOutput output) {
		// given an application with the gateway's user and password
		try (TestBatchApplication application = TestBatchApplication.start(authGateway.address(),
				"batch.pushgateway.username=" + USERNAME, "batch.pushgateway.password=" + PASSWORD,
				"batch.pushgateway.grouping-key.case=right_credentials")) {
			// when a job runs
			JobExecution execution = runJob(application);

			// then the gateway, scraped with the same credentials, shows it
			assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
			ScrapedMetrics metrics = ScrapedMetrics.parse(authGateway.scrapeText(HttpClient.newHttpClient(), "http", BASIC_AUTH));
			assertThat(metrics.require("batch_job_status",
					Map.of("job", "twoStepJob", "case", "right_credentials", "status", "COMPLETED")))
				.isEqualTo(1);
			assertThat(outageWarnings(output)).isEmpty();
		}
	}

	@Test
	void theJdksHttpLoggersAtTraceShowNoCredentials(CapturedOutput output) {
		// given an application that logs everything the JDK's HTTP stack logs, as root=TRACE would
		try (TestBatchApplication application = TestBatchApplication.start(authGateway.address(),
				"batch.pushgateway.username=" + USERNAME, "batch.pushgateway.password=" + PASSWORD,
				"batch.pushgateway.grouping-key.case=jdk_request_log", "logging.level.jdk.httpclient=TRACE",
				"logging.level.jdk.internal.httpclient=TRACE", "logging.level.sun.net.www.protocol.http=TRACE",
				"logging.level.io.github.batchpushgateway=TRACE")) {
			// when a job pushes with the credentials
			runJob(application);
			ScrapedMetrics metrics = ScrapedMetrics.parse(authGateway.scrapeText(HttpClient.newHttpClient(), "http", BASIC_AUTH));
			assertThat(metrics.require("batch_job_status",
					Map.of("job", "twoStepJob", "case", "jdk_request_log", "status", "COMPLETED")))
				.isEqualTo(1);

			// then no log line holds them: the JDK's client logs no header unless the application
			// asks it to with a system property, and the starter logs none itself
			assertThat(output).doesNotContain(BASIC_AUTH.substring("Basic ".length())).doesNotContain(PASSWORD);
		}
		finally {
			LoggingSystem loggingSystem = LoggingSystem.get(getClass().getClassLoader());
			List.of("jdk.httpclient", "jdk.internal.httpclient", "sun.net.www.protocol.http", "io.github.batchpushgateway")
				.forEach((logger) -> loggingSystem.setLogLevel(logger, null));
		}
	}

	@Test
	void wrongPasswordIsLoggedWithoutThePasswordAndTheJobIsUnaffected(CapturedOutput output) {
		// given an application with a wrong password
		try (TestBatchApplication application = TestBatchApplication.start(authGateway.address(),
				"batch.pushgateway.username=" + USERNAME, "batch.pushgateway.password=" + WRONG_PASSWORD,
				"batch.pushgateway.grouping-key.case=wrong_password", SHORT_FLUSH)) {
			// when a job runs
			JobExecution execution = runJob(application);

			// then the job completes, the gateway holds nothing of it
			assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
			ScrapedMetrics metrics = ScrapedMetrics.parse(authGateway.scrapeText(HttpClient.newHttpClient(), "http", BASIC_AUTH));
			assertThat(metrics.value("batch_job_status", Map.of("case", "wrong_password", "status", "COMPLETED")))
				.isEmpty();
			// and the refusal is logged once, with its status code, never with the password
			assertThat(outageWarnings(output)).singleElement()
				.asString()
				.contains("http://" + authGateway.address())
				.contains("401");
			assertThat(output.getAll()).doesNotContain(WRONG_PASSWORD)
				.doesNotContain(Base64.getEncoder()
					.encodeToString((USERNAME + ":" + WRONG_PASSWORD).getBytes(StandardCharsets.UTF_8)));
		}
	}

	@Test
	void httpsPushLandsWhenAnSslBundleTrustsTheGatewaysCertificate(CapturedOutput output) throws Exception {
		// given an application that trusts the certificate through an SSL bundle
		try (TestBatchApplication application = TestBatchApplication.start(tlsGateway.address(),
				"batch.pushgateway.scheme=https", "batch.pushgateway.ssl.bundle=gateway",
				"spring.ssl.bundle.pem.gateway.truststore.certificate=file:" + certificate,
				"batch.pushgateway.username=" + USERNAME, "batch.pushgateway.password=" + PASSWORD,
				"batch.pushgateway.grouping-key.case=with_bundle")) {
			// when a job runs
			JobExecution execution = runJob(application);

			// then its state is in the gateway
			assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
			ScrapedMetrics metrics = ScrapedMetrics.parse(tlsGateway.scrapeText(trustingClient(), "https", BASIC_AUTH));
			assertThat(metrics.require("batch_job_status",
					Map.of("job", "twoStepJob", "case", "with_bundle", "status", "COMPLETED")))
				.isEqualTo(1);
			assertThat(outageWarnings(output)).isEmpty();
		}
	}

	@Test
	void httpsPushFailsCleanlyWithoutTheSslBundle(CapturedOutput output) throws Exception {
		// given an application that does not trust the gateway's certificate
		try (TestBatchApplication application = TestBatchApplication.start(tlsGateway.address(),
				"batch.pushgateway.scheme=https", "batch.pushgateway.username=" + USERNAME,
				"batch.pushgateway.password=" + PASSWORD, "batch.pushgateway.grouping-key.case=without_bundle",
				SHORT_FLUSH)) {
			// when a job runs
			JobExecution execution = runJob(application);

			// then the job completes, the gateway holds nothing of it
			assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
			ScrapedMetrics metrics = ScrapedMetrics.parse(tlsGateway.scrapeText(trustingClient(), "https", BASIC_AUTH));
			assertThat(metrics.value("batch_job_status", Map.of("case", "without_bundle", "status", "COMPLETED")))
				.isEmpty();
			// and one WARN names the address and the certificate problem
			assertThat(outageWarnings(output)).singleElement()
				.asString()
				.contains("https://" + tlsGateway.address())
				.containsAnyOf("PKIX", "certificate");
			assertThat(output.getAll()).doesNotContain(PASSWORD);
		}
	}

	private static JobExecution runJob(TestBatchApplication application) {
		return application.run("twoStepJob", new JobParametersBuilder().addLong("items", 40L).toJobParameters());
	}

	private static List<String> outageWarnings(CapturedOutput output) {
		return output.getAll().lines().filter((line) -> line.contains(" WARN ") && line.contains("Pushgateway")).toList();
	}

	/** A client that trusts the test certificate, to scrape the TLS gateway. */
	private static HttpClient trustingClient() throws IOException, GeneralSecurityException {
		KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
		trustStore.load(null, null);
		try (InputStream in = Files.newInputStream(certificate)) {
			trustStore.setCertificateEntry("gateway", CertificateFactory.getInstance("X.509").generateCertificate(in));
		}
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(trustStore);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trust.getTrustManagers(), null);
		return HttpClient.newBuilder().sslContext(context).build();
	}

	/**
	 * Makes a self-signed certificate for 127.0.0.1 and localhost with the JDK's own
	 * {@code keytool} (no other binary needed), and writes it and its key as the PEM files the
	 * gateway reads.
	 */
	static final class SelfSignedCertificate {

		private static final char[] STORE_PASSWORD = "changeit".toCharArray();

		private SelfSignedCertificate() {
		}

		static void create(Path directory, Path certificateFile, Path keyFile) throws Exception {
			Path keyStore = directory.resolve("gateway.p12");
			Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
			Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "gateway", "-keyalg", "RSA",
					"-keysize", "2048", "-validity", "2", "-dname", "CN=localhost", "-ext",
					"SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
					"-storepass", new String(STORE_PASSWORD))
				.redirectErrorStream(true)
				.start();
			String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException(keytool + " could not make a test certificate: " + log);
			}
			KeyStore store = KeyStore.getInstance("PKCS12");
			try (InputStream in = Files.newInputStream(keyStore)) {
				store.load(in, STORE_PASSWORD);
			}
			Certificate certificate = store.getCertificate("gateway");
			writePem(certificateFile, "CERTIFICATE", certificate.getEncoded());
			// PKCS#8, which the gateway's Go TLS stack reads as "PRIVATE KEY".
			writePem(keyFile, "PRIVATE KEY", store.getKey("gateway", STORE_PASSWORD).getEncoded());
		}

		private static void writePem(Path file, String type, byte[] der) {
			String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
			try {
				Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
