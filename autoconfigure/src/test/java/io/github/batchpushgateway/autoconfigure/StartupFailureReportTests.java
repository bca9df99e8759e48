package io.github.batchpushgateway.autoconfigure;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * What a real {@code SpringApplication} that fails on its {@code batch.pushgateway.*}
 * configuration prints: Spring Boot's failure report names the property, and no credential
 * appears anywhere in the output or in the exception.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureReportTests {

	private static final String PASSWORD = "s3cr3t-passw0rd";

	private static final String TOKEN = "s3cr3t-t0ken";

	@Test
	void enabledThatIsNotABooleanFailsWithAReportNamingTheProperty(CapturedOutput output) {
		Throwable failure = run(Map.of(), "--batch.pushgateway.enabled=flase");
		assertThat(failure).isNotNull();
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("batch.pushgateway.enabled")
			.contains("flase");
	}

	@Test
	void credentialsInTheAddressAreNamedButPrintedNowhere(CapturedOutput output) {
		Throwable failure = run(Map.of(), "--batch.pushgateway.address=http://user:" + PASSWORD + "@gateway:9091");
		assertThat(failure).isNotNull();
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Invalid value for configuration property 'batch.pushgateway.address'")
			.contains("batch.pushgateway.username and password, or token");
		assertNoSecretIn(output, failure);
	}

	@Test
	void credentialsInTheAddressFromAnEnvironmentVariableArePrintedNowhere(CapturedOutput output) {
		Throwable failure = run(Map.of("BATCH_PUSHGATEWAY_ADDRESS", "user:" + PASSWORD + "@gateway:9091"));
		assertThat(failure).isNotNull();
		assertThat(output).contains("'batch.pushgateway.address'").contains("BATCH_PUSHGATEWAY_ADDRESS");
		assertNoSecretIn(output, failure);
	}

	@ParameterizedTest
	@ValueSource(strings = { "batch.pushgateway.progress-interval=ten", "batch.pushgateway.scheme=ftp",
			"batch.pushgateway.ssl.bundle=private-ca", "batch.pushgateway.address=gateway",
			"batch.pushgateway.retry.multiplier=0.5", "batch.pushgateway.grouping-key.job=other" })
	void passwordAndTokenArePrintedNowhereWhateverFails(String failing, CapturedOutput output) {
		String property = failing.substring(0, failing.indexOf('='));
		Throwable basic = run(Map.of(), "--" + failing, "--batch.pushgateway.username=user",
				"--batch.pushgateway.password=" + PASSWORD);
		assertThat(basic).isNotNull();
		assertNoSecretIn(output, basic);
		Throwable bearer = run(Map.of(), "--" + failing, "--batch.pushgateway.token=" + TOKEN);
		assertThat(bearer).isNotNull();
		assertNoSecretIn(output, bearer);
		assertThat(output).contains("APPLICATION FAILED TO START").contains(property);
	}

	@Test
	void tokenWithUsernameIsNamedButPrintedNowhere(CapturedOutput output) {
		Throwable failure = run(Map.of(), "--batch.pushgateway.token=" + TOKEN, "--batch.pushgateway.username=user",
				"--batch.pushgateway.password=" + PASSWORD);
		assertThat(failure).isNotNull();
		assertThat(output).contains("mutually exclusive").contains("batch.pushgateway.token");
		assertNoSecretIn(output, failure);
	}

	@Test
	void passwordWithoutUsernameIsPrintedNowhere(CapturedOutput output) {
		Throwable failure = run(Map.of(), "--batch.pushgateway.password=" + PASSWORD);
		assertThat(failure).isNotNull();
		assertThat(output).contains("batch.pushgateway.username");
		assertNoSecretIn(output, failure);
	}

	private static void assertNoSecretIn(CapturedOutput output, Throwable failure) {
		StringWriter stackTrace = new StringWriter();
		failure.printStackTrace(new PrintWriter(stackTrace));
		assertThat(output.getAll()).doesNotContain(PASSWORD).doesNotContain(TOKEN);
		assertThat(stackTrace.toString()).doesNotContain(PASSWORD).doesNotContain(TOKEN);
	}

	private static Throwable run(Map<String, Object> environmentVariables, String... args) {
		List<String> all = new ArrayList<>(List.of(args));
		all.add("--spring.main.banner-mode=off");
		all.add("--spring.batch.job.enabled=false");
		return catchThrowable(() -> new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
			.initializers((context) -> context.getEnvironment()
				.getPropertySources()
				.addAfter(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
						new SystemEnvironmentPropertySource("test-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
								environmentVariables)))
			.run(all.toArray(String[]::new))
			.close());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
