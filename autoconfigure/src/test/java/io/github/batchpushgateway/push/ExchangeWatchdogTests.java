package io.github.batchpushgateway.push;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Tests for {@link ExchangeWatchdog}, on a clock of the test's and without its thread: the test
 * runs the thread's checks itself.
 */
class ExchangeWatchdogTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final Runnable NOTHING = () -> {
	};

	private long now = 1_000_000L;

	private final List<Runnable> started = new ArrayList<>();

	private final Thread thread = new Thread(() -> {
	});

	private final AtomicInteger wakes = new AtomicInteger();

	private final ExchangeWatchdog watchdog = new ExchangeWatchdog(new ExchangeWatchdog.Platform() {

		@Override
		public long nanoTime() {
			return ExchangeWatchdogTests.this.now;
		}

		@Override
		public Thread start(Runnable loop) {
			ExchangeWatchdogTests.this.started.add(loop);
			return ExchangeWatchdogTests.this.thread;
		}

		@Override
		public void wake(Thread woken) {
			assertThat(woken).isSameAs(ExchangeWatchdogTests.this.thread);
			ExchangeWatchdogTests.this.wakes.incrementAndGet();
		}

	});

	@AfterEach
	void clearInterrupt() {
		Thread.interrupted();
	}

	@Test
	void theFirstExchangeStartsTheThreadAndLaterOnesStartNone() {
		this.watchdog.runAfter(TIMEOUT, NOTHING).end();
		this.watchdog.check();
		this.watchdog.runAfter(TIMEOUT, NOTHING).end();
		this.watchdog.runAfter(Duration.ofMillis(1), NOTHING).end();

		assertThat(this.started).hasSize(1);
	}

	@Test
	void exchangesOneAfterAnotherWakeNoThread() {
		this.watchdog.runAfter(TIMEOUT, NOTHING).end();
		this.watchdog.check();
		for (int i = 0; i < 100; i++) {
			this.now += Duration.ofMillis(10).toNanos();
			ExchangeDeadline deadline = this.watchdog.runAfter(TIMEOUT, NOTHING);
			if (i % 10 == 0) {
				// The thread woke at its time and found this one running.
				this.watchdog.check();
			}
			deadline.end();
		}

		assertThat(this.wakes).hasValue(0);
	}

	@Test
	void anExchangeDueBeforeTheThreadWakesWakesIt() {
		this.watchdog.runAfter(TIMEOUT, NOTHING).end();
		this.watchdog.check();

		this.watchdog.runAfter(Duration.ofSeconds(1), NOTHING);

		assertThat(this.wakes).hasValue(1);
		assertThat(this.watchdog.check()).isEqualTo(this.now + Duration.ofSeconds(1).toNanos());
	}

	@Test
	void theThreadSleepsUntilTheEarliestRunningDeadline() {
		ExchangeDeadline first = this.watchdog.runAfter(TIMEOUT, NOTHING);
		this.now += Duration.ofSeconds(1).toNanos();
		ExchangeDeadline second = this.watchdog.runAfter(TIMEOUT, NOTHING);

		assertThat(this.watchdog.check()).isEqualTo(first.passesAt());
		assertThat(this.watchdog.wakeAt()).isEqualTo(first.passesAt());
		first.end();
		assertThat(this.watchdog.check()).isEqualTo(second.passesAt());
	}

	@Test
	void aDeadlinePassedRunsItsActionOnce() {
		AtomicInteger runs = new AtomicInteger();
		ExchangeDeadline deadline = this.watchdog.runAfter(TIMEOUT, runs::incrementAndGet);
		this.now += TIMEOUT.toNanos() - 1;
		this.watchdog.check();
		assertThat(runs).hasValue(0);
		assertThat(deadline.passed()).isFalse();

		this.now += 1;
		this.watchdog.check();
		this.now += TIMEOUT.toNanos();
		this.watchdog.check();

		assertThat(runs).hasValue(1);
		assertThat(deadline.passed()).isTrue();
		deadline.end();
	}

	@Test
	void aDeadlineMetNeverRunsItsAction() {
		AtomicInteger runs = new AtomicInteger();
		ExchangeDeadline deadline = this.watchdog.runAfter(TIMEOUT, runs::incrementAndGet);

		deadline.end();
		this.now += TIMEOUT.toNanos() * 2;
		this.watchdog.check();

		assertThat(runs).hasValue(0);
		assertThat(deadline.passed()).isFalse();
	}

	@Test
	void aDeadlineTheThreadTookJustBeforeItsEndRunsNoActionAfterIt() {
		AtomicInteger runs = new AtomicInteger();
		ExchangeDeadline deadline = this.watchdog.runAfter(TIMEOUT, runs::incrementAndGet);

		deadline.end();
		// What the thread does with a deadline it read as due while the exchange ended.
		deadline.pass();

		assertThat(runs).hasValue(0);
		assertThat(deadline.passed()).isFalse();
	}

	@Test
	void aDeadlineMetLeavesTheThreadUninterrupted() {
		ExchangeDeadline deadline = this.watchdog.interruptAfter(TIMEOUT);

		deadline.end();
		this.now += TIMEOUT.toNanos() * 2;
		this.watchdog.check();

		assertThat(deadline.passed()).isFalse();
		assertThat(Thread.currentThread().isInterrupted()).isFalse();
	}

	@Test
	void aDeadlinePassedInterruptsTheThreadUntilItEnds() {
		ExchangeDeadline deadline = this.watchdog.interruptAfter(TIMEOUT);

		this.now += TIMEOUT.toNanos();
		this.watchdog.check();
		assertThat(Thread.currentThread().isInterrupted()).isTrue();
		deadline.end();

		assertThat(deadline.passed()).isTrue();
		assertThat(Thread.currentThread().isInterrupted()).isFalse();
	}

	@Test
	void anActionThatFailsLeavesTheOtherDeadlinesWatched() {
		AtomicInteger runs = new AtomicInteger();
		this.watchdog.runAfter(Duration.ofSeconds(1), () -> {
			throw new IllegalStateException("closing failed");
		});
		ExchangeDeadline other = this.watchdog.runAfter(TIMEOUT, runs::incrementAndGet);

		this.now += Duration.ofSeconds(1).toNanos();
		assertThat(this.watchdog.check()).isEqualTo(other.passesAt());
		this.now += TIMEOUT.toNanos();
		this.watchdog.check();

		assertThat(runs).hasValue(1);
	}

	@Test
	void betweenExchangesTheThreadSleepsTheShortestTimeoutThenEndsAndTheNextExchangeStartsAnother() {
		this.watchdog.runAfter(TIMEOUT, NOTHING).end();

		assertThat(this.watchdog.check()).isEqualTo(this.now + TIMEOUT.toNanos());
		this.now += TIMEOUT.toNanos() * 3;
		assertThat(this.watchdog.check()).isEqualTo(this.now + TIMEOUT.toNanos());
		this.now += TIMEOUT.toNanos();
		// The thread's own loop, on this thread: it returns rather than sleep.
		assertTimeoutPreemptively(Duration.ofSeconds(30), this.started.get(0)::run);
		assertThat(this.watchdog.wakeAt()).isEqualTo(ExchangeWatchdog.NEVER);

		this.watchdog.runAfter(TIMEOUT, NOTHING).end();
		assertThat(this.started).hasSize(2);
		assertThat(this.wakes).hasValue(0);
	}

	@Test
	void anErrorOfAnActionEndsTheThreadAndTheNextExchangeStartsAnother() {
		this.watchdog.runAfter(Duration.ZERO, () -> {
			throw new StackOverflowError();
		});

		assertThatExceptionOfType(StackOverflowError.class).isThrownBy(this.started.get(0)::run);
		this.watchdog.runAfter(TIMEOUT, NOTHING).end();

		assertThat(this.started).hasSize(2);
	}

	@Test
	void theThreadLivesOnWhileAnExchangeRuns() {
		ExchangeDeadline running = this.watchdog.runAfter(Duration.ofHours(1), NOTHING);
		this.now += TIMEOUT.toNanos() * 10;
		this.watchdog.runAfter(TIMEOUT, NOTHING).end();
		this.now += TIMEOUT.toNanos() * 10;

		assertThat(this.watchdog.check()).isEqualTo(running.passesAt());
		running.end();
	}

	@Test
	void aZeroTimeoutPassesAtOnceAndTheThreadStillSleepsBetweenExchanges() {
		AtomicInteger runs = new AtomicInteger();
		ExchangeDeadline deadline = this.watchdog.runAfter(Duration.ZERO, runs::incrementAndGet);

		long wakeAt = this.watchdog.check();

		assertThat(runs).hasValue(1);
		assertThat(deadline.passed()).isTrue();
		assertThat(wakeAt).isGreaterThan(this.now);
	}

}
