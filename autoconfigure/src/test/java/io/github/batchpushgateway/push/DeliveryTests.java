package io.github.batchpushgateway.push;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Delivery}.
 */
class DeliveryTests {

	@Test
	void awaitReturnsTheOutcomeOnceKnown() {
		assertThat(new Delivery(CompletableFuture.completedFuture(true)).await(Duration.ZERO)).isTrue();
		assertThat(new Delivery(CompletableFuture.completedFuture(false)).await(Duration.ZERO)).isFalse();
		assertThat(Delivery.failed().await(Duration.ofSeconds(1))).isFalse();
		assertThat(Delivery.failed().isDone()).isTrue();
	}

	@Test
	void awaitGivesUpAtTheTimeoutWhileTheOutcomeIsUnknown() {
		Delivery delivery = new Delivery(new CompletableFuture<>());

		assertThat(delivery.isDone()).isFalse();
		assertThat(delivery.await(Duration.ofMillis(20))).isFalse();
		assertThat(delivery.await(Duration.ofMillis(-5))).isFalse();
	}

	@Test
	void awaitSeesAnOutcomeKnownWhileWaiting() {
		CompletableFuture<Boolean> outcome = new CompletableFuture<>();
		Delivery delivery = new Delivery(outcome);
		CompletableFuture.delayedExecutor(50, java.util.concurrent.TimeUnit.MILLISECONDS)
			.execute(() -> outcome.complete(true));

		assertThat(delivery.await(Duration.ofSeconds(10))).isTrue();
	}

	@Test
	void awaitOfAFailedFutureIsFalse() {
		Delivery delivery = new Delivery(CompletableFuture.failedFuture(new IllegalStateException()));

		assertThat(delivery.await(Duration.ofSeconds(1))).isFalse();
	}

	@Test
	void awaitWhenInterruptedIsFalseAndKeepsTheInterrupt() {
		Delivery delivery = new Delivery(new CompletableFuture<>());
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
	void allOfOneIsThatOne() {
		Delivery only = new Delivery(new CompletableFuture<>());

		assertThat(Delivery.all(List.of(only))).isSameAs(only);
	}

	@Test
	void allSucceedsWhenEveryDeliverySucceeds() {
		// given
		CompletableFuture<Boolean> first = new CompletableFuture<>();
		CompletableFuture<Boolean> second = new CompletableFuture<>();
		Delivery all = Delivery.all(List.of(new Delivery(first), new Delivery(second)));
		// when
		first.complete(true);
		// then
		assertThat(all.isDone()).isFalse();
		second.complete(true);
		assertThat(all.isDone()).isTrue();
		assertThat(all.await(Duration.ZERO)).isTrue();
	}

	@Test
	void allFailsWhenAnyDeliveryFails() {
		// given
		CompletableFuture<Boolean> first = new CompletableFuture<>();
		CompletableFuture<Boolean> second = new CompletableFuture<>();
		Delivery all = Delivery.all(List.of(new Delivery(first), new Delivery(second)));
		// when
		first.complete(false);
		second.complete(true);
		// then
		assertThat(all.isDone()).isTrue();
		assertThat(all.await(Duration.ZERO)).isFalse();
	}

}
