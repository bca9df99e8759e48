package io.github.batchpushgateway.push;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Delivery} and {@link DeliveryOutcome}.
 */
class DeliveryTests {

	@Test
	void awaitReturnsTheOutcomeOnceKnown() {
		assertThat(new Delivery(known(true)).await(Duration.ZERO)).isTrue();
		assertThat(new Delivery(known(false)).await(Duration.ZERO)).isFalse();
		assertThat(Delivery.failed().await(Duration.ofSeconds(1))).isFalse();
		assertThat(Delivery.failed().isDone()).isTrue();
	}

	@Test
	void awaitGivesUpAtTheTimeoutWhileTheOutcomeIsUnknown() {
		Delivery delivery = new Delivery(new DeliveryOutcome());

		assertThat(delivery.isDone()).isFalse();
		assertThat(delivery.await(Duration.ofMillis(20))).isFalse();
		assertThat(delivery.await(Duration.ofMillis(-5))).isFalse();
	}

	@Test
	void awaitSeesAnOutcomeKnownWhileWaiting() throws Exception {
		DeliveryOutcome outcome = new DeliveryOutcome();
		Delivery delivery = new Delivery(outcome);
		CountDownLatch waiting = new CountDownLatch(1);
		Thread sender = new Thread(() -> {
			try {
				waiting.await();
			}
			catch (InterruptedException ex) {
				return;
			}
			outcome.complete(true);
		});
		sender.start();

		waiting.countDown();
		assertThat(delivery.await(Duration.ofSeconds(10))).isTrue();
		sender.join();
	}

	@Test
	void anOutcomeIsToldOnce() {
		DeliveryOutcome outcome = new DeliveryOutcome();

		outcome.complete(true);
		outcome.complete(false);

		assertThat(new Delivery(outcome).await(Duration.ZERO)).isTrue();
	}

	@Test
	void awaitWhenInterruptedIsFalseAndKeepsTheInterrupt() {
		Delivery delivery = new Delivery(new DeliveryOutcome());
		Thread.currentThread().interrupt();
		try {
			assertThat(delivery.await(Duration.ofSeconds(10))).isFalse();
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
		}
		finally {
			Thread.interrupted();
		}
	}

	@Test
	void anOutcomeKnownIsReturnedToAnInterruptedThread() {
		Thread.currentThread().interrupt();
		try {
			assertThat(new Delivery(known(true)).await(Duration.ofSeconds(10))).isTrue();
		}
		finally {
			Thread.interrupted();
		}
	}

	@Test
	void allOfOneIsThatOne() {
		Delivery only = new Delivery(new DeliveryOutcome());

		assertThat(Delivery.all(List.of(only))).isSameAs(only);
	}

	@Test
	void allSucceedsWhenEveryDeliverySucceeds() {
		// given
		DeliveryOutcome first = new DeliveryOutcome();
		DeliveryOutcome second = new DeliveryOutcome();
		Delivery all = Delivery.all(List.of(new Delivery(first), new Delivery(second)));
		// when
		first.complete(true);
		// then
		assertThat(all.isDone()).isFalse();
		assertThat(all.await(Duration.ZERO)).isFalse();
		second.complete(true);
		assertThat(all.isDone()).isTrue();
		assertThat(all.await(Duration.ZERO)).isTrue();
	}

	@Test
	void allFailsWhenAnyDeliveryFails() {
		// given
		DeliveryOutcome first = new DeliveryOutcome();
		DeliveryOutcome second = new DeliveryOutcome();
		Delivery all = Delivery.all(List.of(new Delivery(first), new Delivery(second)));
		// when
		first.complete(false);
		second.complete(true);
		// then
		assertThat(all.isDone()).isTrue();
		assertThat(all.await(Duration.ZERO)).isFalse();
	}

	@Test
	void allWaitsForEveryDeliveryAfterOneFailed() throws Exception {
		DeliveryOutcome failed = DeliveryOutcome.failed();
		DeliveryOutcome pending = new DeliveryOutcome();
		Delivery all = Delivery.all(List.of(new Delivery(failed), new Delivery(pending)));
		Thread waiter = new Thread(() -> all.await(Duration.ofSeconds(30)));
		waiter.start();

		waiter.join(200);
		assertThat(waiter.isAlive()).isTrue();
		pending.complete(true);
		waiter.join(10_000);
		assertThat(waiter.isAlive()).isFalse();
	}

	private static DeliveryOutcome known(boolean delivered) {
		DeliveryOutcome outcome = new DeliveryOutcome();
		outcome.complete(delivered);
		return outcome;
	}

}
