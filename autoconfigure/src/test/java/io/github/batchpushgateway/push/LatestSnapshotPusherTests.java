package io.github.batchpushgateway.push;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.retry.RetryPolicy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LatestSnapshotPusher}: the queueing rules, with a recording client in place of
 * the network (the real gateway is in the integration tests).
 */
class LatestSnapshotPusherTests {

	private static final PushGroup GROUP = PushGroup.of("job");

	private static final RetryPolicy FAST_RETRIES = RetryPolicy.builder()
		.maxRetries(2)
		.delay(Duration.ofMillis(1))
		.maxDelay(Duration.ofMillis(2))
		.build();

	private final RecordingClient client = new RecordingClient();

	private LatestSnapshotPusher pusher;

	@AfterEach
	void close() {
		if (this.pusher != null) {
			this.pusher.close(Duration.ZERO);
		}
	}

	@Test
	void onlyTheNewestWaitingSnapshotOfAGroupIsSent() throws Exception {
		// given a push in flight that the client holds
		this.client.hold();
		this.pusher = new LatestSnapshotPusher(this.client, FAST_RETRIES, Duration.ofSeconds(30), Duration.ofSeconds(5),
				new PushListener() {
				});
		Delivery first = this.pusher.offer(GROUP, snapshot(1));
		this.client.awaitCall();

		// when three more snapshots arrive meanwhile
		Delivery second = this.pusher.offer(GROUP, snapshot(2));
		Delivery third = this.pusher.offer(GROUP, snapshot(3));
		Delivery fourth = this.pusher.offer(GROUP, snapshot(4));
		this.client.release();

		// then only the first and the newest are sent, and everyone learns the newest was delivered
		assertThat(fourth.await(Duration.ofSeconds(5))).isTrue();
		assertThat(first.await(Duration.ofSeconds(5))).isTrue();
		assertThat(second.await(Duration.ofSeconds(5))).isTrue();
		assertThat(third.await(Duration.ofSeconds(5))).isTrue();
		assertThat(this.client.sent).containsExactly(1.0, 4.0);
	}

	@Test
	void failedPushIsRetriedAndCountedByTheListener() {
		this.client.failures.set(2);
		AtomicInteger failures = new AtomicInteger();
		this.pusher = new LatestSnapshotPusher(this.client, FAST_RETRIES, Duration.ofSeconds(30), Duration.ofSeconds(5),
				new PushListener() {
					@Override
					public void pushFailed(PushGroup group, Exception failure, Duration duration) {
						failures.incrementAndGet();
					}
				});

		assertThat(this.pusher.offer(GROUP, snapshot(7)).await(Duration.ofSeconds(5))).isTrue();
		assertThat(failures).hasValue(2);
		assertThat(this.client.sent).containsExactly(7.0);
	}

	@Test
	void stateWhoseRetriesAreExhaustedIsKeptAndRedelivered() {
		// given a gateway that fails more often than the retries allow
		this.client.failures.set(3);
		this.pusher = new LatestSnapshotPusher(this.client, FAST_RETRIES, Duration.ofMillis(100), Duration.ofSeconds(5),
				new PushListener() {
				});

		// then the waiter hears of the failure at once
		assertThat(this.pusher.offer(GROUP, snapshot(9)).await(Duration.ofSeconds(5))).isFalse();
		assertThat(this.pusher.undeliveredGroups()).containsExactly(GROUP);

		// and the state goes out at the next redelivery
		assertThat(this.pusher.flush(Duration.ofSeconds(5))).isTrue();
		assertThat(this.client.sent).containsExactly(9.0);
		assertThat(this.pusher.undeliveredGroups()).isEmpty();
	}

	@Test
	void closeWaitsForUndeliveredStateAtMostTheGivenTime() {
		this.client.hold();
		this.pusher = new LatestSnapshotPusher(this.client, FAST_RETRIES, Duration.ofSeconds(30), Duration.ofSeconds(5),
				new PushListener() {
				});
		this.pusher.offer(GROUP, snapshot(1));

		long start = System.nanoTime();
		this.pusher.close(Duration.ofMillis(300));
		long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

		assertThat(waited).isBetween(250L, 3000L);
		assertThat(this.pusher.offer(GROUP, snapshot(2)).await(Duration.ofSeconds(1))).isFalse();
		this.client.release();
	}

	private static MetricSnapshots snapshot(double value) {
		return MetricSnapshots.of(GaugeSnapshot.builder()
			.name("value")
			.dataPoint(GaugeDataPointSnapshot.builder().value(value).build())
			.build());
	}

	private static final class RecordingClient implements PushClient {

		final List<Double> sent = new CopyOnWriteArrayList<>();

		final AtomicInteger failures = new AtomicInteger();

		private volatile CountDownLatch called = new CountDownLatch(1);

		private volatile CountDownLatch released = new CountDownLatch(0);

		void hold() {
			this.released = new CountDownLatch(1);
		}

		void release() {
			this.released.countDown();
		}

		void awaitCall() throws InterruptedException {
			assertThat(this.called.await(5, TimeUnit.SECONDS)).isTrue();
		}

		@Override
		public void push(PushGroup group, MetricSnapshots metrics) throws IOException {
			this.called.countDown();
			try {
				this.released.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException("interrupted");
			}
			if (this.failures.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) {
				throw new IOException("refused");
			}
			this.sent.add(((GaugeSnapshot) metrics.get(0)).getDataPoints().get(0).getValue());
		}

	}

}
