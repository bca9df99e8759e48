package io.github.batchpushgateway.push;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ExchangeDeadline} on the JVM's watchdog and its thread; what the watchdog
 * decides when is in {@link ExchangeWatchdogTests}, on a clock of the test's.
 */
class ExchangeDeadlineTests {

	@AfterEach
	void clearInterrupt() {
		Thread.interrupted();
	}

	@Test
	void aDeadlinePassedInterruptsTheThreadThatWaits() {
		ExchangeDeadline deadline = ExchangeDeadline.start(Duration.ofMillis(100));

		assertThatExceptionOfType(InterruptedException.class).isThrownBy(() -> Thread.sleep(10_000));
		assertThat(deadline.passed()).isTrue();
		deadline.end();
		assertThat(Thread.currentThread().isInterrupted()).isFalse();
	}

	@Test
	void anInterruptNotConsumedByTheExchangeIsClearedAtTheEnd() {
		ExchangeDeadline deadline = ExchangeDeadline.start(Duration.ofMillis(50));
		long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!deadline.passed() && System.nanoTime() < until) {
			Thread.onSpinWait();
		}
		assertThat(Thread.currentThread().isInterrupted()).isTrue();

		deadline.end();

		assertThat(Thread.currentThread().isInterrupted()).isFalse();
	}

	@Test
	void aDeadlineWithAnActionRunsItWhenPassedAndInterruptsNothing() throws Exception {
		CountDownLatch closed = new CountDownLatch(1);
		ExchangeDeadline deadline = ExchangeDeadline.start(Duration.ofMillis(50), closed::countDown);

		assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(deadline.passed()).isTrue();
		deadline.end();
		assertThat(Thread.currentThread().isInterrupted()).isFalse();
	}

}
