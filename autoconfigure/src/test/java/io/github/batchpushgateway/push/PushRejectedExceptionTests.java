package io.github.batchpushgateway.push;

import java.io.IOException;
import java.net.SocketTimeoutException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PushRejectedException}.
 */
class PushRejectedExceptionTests {

	@ParameterizedTest
	@ValueSource(ints = { 500, 502, 503, 504, 408, 429 })
	void serverErrorsTimeoutAndThrottleAreWorthRetrying(int status) {
		PushRejectedException rejected = new PushRejectedException(status, "refused");

		assertThat(rejected.isTransient()).isTrue();
		assertThat(PushRejectedException.isWorthRetrying(rejected)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(ints = { 400, 401, 403, 404, 405, 409, 413, 499 })
	void otherClientErrorsAreNotWorthRetrying(int status) {
		PushRejectedException rejected = new PushRejectedException(status, "refused");

		assertThat(rejected.isTransient()).isFalse();
		assertThat(PushRejectedException.isWorthRetrying(rejected)).isFalse();
	}

	@Test
	void failuresOtherThanARejectionAreWorthRetrying() {
		assertThat(PushRejectedException.isWorthRetrying(new IOException("reset"))).isTrue();
		assertThat(PushRejectedException.isWorthRetrying(new SocketTimeoutException())).isTrue();
		assertThat(PushRejectedException.isWorthRetrying(new IllegalStateException())).isTrue();
	}

	@Test
	void statusAndMessageAreKept() {
		PushRejectedException rejected = new PushRejectedException(400, "pushed metrics are invalid");

		assertThat(rejected.getStatus()).isEqualTo(400);
		assertThat(rejected).isInstanceOf(IOException.class).hasMessage("pushed metrics are invalid");
	}

}
