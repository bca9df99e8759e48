package io.github.batchpushgateway.push;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OutageLogger}.
 */
@ExtendWith(OutputCaptureExtension.class)
class OutageLoggerTests {

	private static final String GATEWAY = "the Pushgateway at http://gateway.example:9091";

	private static final PushGroup GROUP = PushGroup.of("import");

	private static final PushGroup OTHER = new PushGroup("export", Map.of("region", "eu"));

	private final OutageLogger outageLogger = new OutageLogger(GATEWAY);

	@Test
	void firstFailureOfAnOutageIsLoggedOnceAtWarnWithTheAddressAndTheCause(CapturedOutput output) {
		// when
		for (int i = 0; i < 3; i++) {
			this.outageLogger.pushFailed(GROUP, new ConnectException("Connection refused"), Duration.ofMillis(5));
		}
		// then
		assertThat(countOf(output, "are failing")).isOne();
		assertThat(lineWith(output, "are failing")).contains("WARN")
			.contains("http://gateway.example:9091")
			.contains("Connection refused");
	}

	@Test
	void recoveryIsLoggedOnceAtInfoWithTheNumberOfFailedAttempts(CapturedOutput output) {
		// given
		this.outageLogger.pushFailed(GROUP, new ConnectException("Connection refused"), Duration.ZERO);
		this.outageLogger.pushFailed(OTHER, new ConnectException("Connection refused"), Duration.ZERO);
		// when
		this.outageLogger.pushSucceeded(GROUP, Duration.ZERO);
		this.outageLogger.pushSucceeded(GROUP, Duration.ZERO);
		// then
		assertThat(countOf(output, "succeed again")).isOne();
		assertThat(lineWith(output, "succeed again")).contains("INFO")
			.contains("http://gateway.example:9091")
			.contains("after 2 failed attempt(s)");
	}

	@Test
	void aNewOutageAfterRecoveryIsLoggedAgain(CapturedOutput output) {
		// given
		this.outageLogger.pushFailed(GROUP, new ConnectException("refused"), Duration.ZERO);
		this.outageLogger.pushSucceeded(GROUP, Duration.ZERO);
		// when
		this.outageLogger.pushFailed(GROUP, new ConnectException("refused"), Duration.ZERO);
		// then
		assertThat(countOf(output, "are failing")).isEqualTo(2);
	}

	@Test
	void successWithoutOutageLogsNothing(CapturedOutput output) {
		this.outageLogger.pushSucceeded(GROUP, Duration.ZERO);

		assertThat(output).doesNotContain("succeed again").doesNotContain("accepted by");
	}

	@Test
	void transientRejectionCountsAsAnOutage(CapturedOutput output) {
		this.outageLogger.pushFailed(GROUP, new PushRejectedException(503, "Service Unavailable"), Duration.ZERO);

		assertThat(lineWith(output, "are failing")).contains("WARN").contains("Service Unavailable");
		assertThat(output).doesNotContain("is rejected by");
	}

	@Test
	void rejectedPushIsLoggedOncePerGroupAndStatusAndIsNoOutage(CapturedOutput output) {
		// when
		this.outageLogger.pushFailed(GROUP, new PushRejectedException(400, "type mismatch"), Duration.ZERO);
		this.outageLogger.pushFailed(GROUP, new PushRejectedException(400, "type mismatch"), Duration.ZERO);
		this.outageLogger.pushFailed(GROUP, new PushRejectedException(401, "unauthorized"), Duration.ZERO);
		this.outageLogger.pushFailed(OTHER, new PushRejectedException(400, "type mismatch"), Duration.ZERO);
		// then
		assertThat(countOf(output, "is rejected by")).isEqualTo(3);
		assertThat(countOf(output, "The state of job=import is rejected by " + GATEWAY + " (type mismatch)"))
			.isOne();
		assertThat(countOf(output, "The state of job=import is rejected by " + GATEWAY + " (unauthorized)")).isOne();
		assertThat(countOf(output, "The state of job=export {region=eu} is rejected by")).isOne();
		assertThat(lineWith(output, "is rejected by")).contains("WARN");
		assertThat(output).doesNotContain("are failing");
	}

	@Test
	void rejectedGroupIsLoggedAsAcceptedOnceWhenItIsAcceptedAgain(CapturedOutput output) {
		// given
		this.outageLogger.pushFailed(GROUP, new PushRejectedException(400, "type mismatch"), Duration.ZERO);
		// when
		this.outageLogger.pushSucceeded(OTHER, Duration.ZERO);
		this.outageLogger.pushSucceeded(GROUP, Duration.ZERO);
		this.outageLogger.pushSucceeded(GROUP, Duration.ZERO);
		// then
		assertThat(countOf(output, "is accepted by")).isOne();
		assertThat(lineWith(output, "is accepted by")).contains("INFO").contains("job=import");
		assertThat(output).doesNotContain("succeed again");
	}

	@Test
	void rejectionOfAGroupAcceptedInBetweenIsLoggedAgain(CapturedOutput output) {
		this.outageLogger.pushFailed(GROUP, new PushRejectedException(400, "type mismatch"), Duration.ZERO);
		this.outageLogger.pushSucceeded(GROUP, Duration.ZERO);
		this.outageLogger.pushFailed(GROUP, new PushRejectedException(400, "type mismatch"), Duration.ZERO);

		assertThat(countOf(output, "is rejected by")).isEqualTo(2);
	}

	@Test
	void descriptionIsOneBoundedLine(CapturedOutput output) {
		// given
		String body = "line one\nline two\r\n\t" + "x".repeat(1000);
		// when
		this.outageLogger.pushFailed(GROUP, new PushRejectedException(400, body), Duration.ZERO);
		// then
		String line = lineWith(output, "is rejected by");
		assertThat(line).contains("line one line two x").contains("x...)").doesNotContain("x".repeat(301));
		assertThat(output).doesNotContain("line one\n");
	}

	@Test
	void descriptionNamesACauseWhoseMessageItDoesNotAlreadyContain(CapturedOutput output) {
		IOException failure = new IOException("Push failed", new ConnectException("Connection refused"));

		this.outageLogger.pushFailed(GROUP, failure, Duration.ZERO);

		assertThat(lineWith(output, "are failing")).contains("Push failed: ConnectException: Connection refused");
	}

	@Test
	void messagesNeverContainCredentials(CapturedOutput output) {
		// given: the only thing the logger is told is the address, the group and the failure
		OutageLogger outageLogger = new OutageLogger("the Pushgateway at https://gateway.example");
		// when
		outageLogger.pushFailed(GROUP, new PushRejectedException(401, "Unauthorized"), Duration.ZERO);
		outageLogger.pushFailed(GROUP, new ConnectException("Connection refused"), Duration.ZERO);
		outageLogger.pushSucceeded(GROUP, Duration.ZERO);
		// then
		assertThat(output).contains("https://gateway.example")
			.doesNotContainIgnoringCase("authorization")
			.doesNotContainIgnoringCase("basic ")
			.doesNotContainIgnoringCase("bearer");
	}

	private static int countOf(CapturedOutput output, String text) {
		String all = output.getAll();
		int count = 0;
		for (int index = all.indexOf(text); index >= 0; index = all.indexOf(text, index + 1)) {
			count++;
		}
		return count;
	}

	private static String lineWith(CapturedOutput output, String text) {
		return output.getAll()
			.lines()
			.filter((line) -> line.contains(text))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No line with '" + text + "' in:\n" + output.getAll()));
	}

}
