package io.github.batchpushgateway.push;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ExchangeDeadline}.
 */
class ExchangeDeadlineTests {

	@AfterEach
	void clearInterrupt() {
		Thread.interrupted();
	}

	@Test
	void aDeadlineMetNeitherPassesNorInterruptsLater() throws Exception {
		ExchangeDeadline deadline = ExchangeDeadline.start(Duration.ofMillis(100));

		deadline.end();
		Thread.sleep(400);

		assertThat(deadline.passed()).isFalse();
		assertThat(Thread.currentThread().isInterrupted()).isFalse();
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
	void anInterruptNotConsumedByTheExchangeIsClearedAtTheEnd() throws Exception {
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

	@Test
	void aDeadlineWithAnActionMetNeverRunsIt() throws Exception {
		AtomicInteger runs = new AtomicInteger();
		ExchangeDeadline deadline = ExchangeDeadline.start(Duration.ofMillis(100), runs::incrementAndGet);

		deadline.end();
		Thread.sleep(400);

		assertThat(runs).hasValue(0);
		assertThat(deadline.passed()).isFalse();
	}

}
