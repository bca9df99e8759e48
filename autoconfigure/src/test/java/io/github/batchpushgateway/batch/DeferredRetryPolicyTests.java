package io.github.batchpushgateway.batch;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.batchpushgateway.push.PushRejectedException;
import org.junit.jupiter.api.Test;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DeferredRetryPolicy}.
 */
class DeferredRetryPolicyTests {

	private final AtomicInteger built = new AtomicInteger();

	private final DeferredRetryPolicy policy = new DeferredRetryPolicy(() -> {
		this.built.incrementAndGet();
		return RetryPolicy.builder()
			.maxRetries(2)
			.delay(Duration.ofMillis(300))
			.timeout(Duration.ofSeconds(7))
			.predicate(PushRejectedException::isWorthRetrying)
			.build();
	});

	@Test
	void buildsNothingUntilAFailureAsks() {
		assertThat(this.built).hasValue(0);
	}

	@Test
	void decidesAsTheBuiltPolicyAndBuildsItOnce() {
		// when
		boolean retriesIo = this.policy.shouldRetry(new IOException("refused"));
		boolean retriesBadRequest = this.policy.shouldRetry(new PushRejectedException(400, "bad"));
		// then
		assertThat(retriesIo).isTrue();
		assertThat(retriesBadRequest).isFalse();
		assertThat(this.built).hasValue(1);
	}

	@Test
	void backsOffAndTimesOutAsTheBuiltPolicy() {
		// when
		BackOff backOff = this.policy.getBackOff();
		Duration timeout = this.policy.getTimeout();
		// then
		BackOffExecution execution = backOff.start();
		assertThat(execution.nextBackOff()).isEqualTo(300);
		assertThat(execution.nextBackOff()).isEqualTo(300);
		assertThat(execution.nextBackOff()).isEqualTo(BackOffExecution.STOP);
		assertThat(timeout).isEqualTo(Duration.ofSeconds(7));
		assertThat(this.built).hasValue(1);
	}

}
