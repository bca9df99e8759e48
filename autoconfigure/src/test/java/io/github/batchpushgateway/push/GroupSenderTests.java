package io.github.batchpushgateway.push;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.core.retry.RetryPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests for {@link GroupSender}, with a client and a state source of the test's own and a
 * {@link ManualScheduler}, so that every attempt, retry and redelivery is a step of the test.
 */
class GroupSenderTests {

	private static final PushGroup GROUP = PushGroup.of("job");

	private static final PushGroup OTHER = new PushGroup("job", Map.of("region", "eu"));

	private final ManualScheduler scheduler = new ManualScheduler();

	private final RecordingClient client = new RecordingClient();

	private final CountingSource source = new CountingSource();

	private static final Duration MIN_INTERVAL = Duration.ofMillis(100);

	private final GroupSender sender = sender(Duration.ZERO);

	/** A sender that holds changes nobody waits for until the minimum interval has passed. */
	private final GroupSender holding = sender(MIN_INTERVAL);

	private GroupSender sender(Duration minInterval) {
		return sender(minInterval, Thread::yield);
	}

	private GroupSender sender(Duration minInterval, Runnable giveWay) {
		return new GroupSender(this.client, this.source,
				RetryPolicy.builder()
					.maxRetries(2)
					.delay(Duration.ofMillis(100))
					.multiplier(2)
					.maxDelay(Duration.ofSeconds(1))
					.predicate(PushRejectedException::isWorthRetrying)
					.build(),
				Duration.ofSeconds(30), minInterval, Duration.ZERO, (new PushListener() {
				}), this.scheduler, giveWay);
	}

	@Test
	void aGroupsFirstChangeIsPushedAtOnce() {
		this.holding.changed(GROUP);
		this.scheduler.runDue();

		assertThat(this.client.pushed).containsExactly("job:1");
	}

	@Test
	void itsGroupsAreEveryGroupItWasAskedToPushDeliveredOrNot() {
		this.sender.changed(GROUP);
		this.scheduler.runDue();
		this.client.failingGroup = OTHER;
		this.sender.request(OTHER);
		this.scheduler.runDue();

		assertThat(this.sender.groups()).containsExactlyInAnyOrder(GROUP, OTHER);
	}

	@Test
	void itsPushesPassOnceOneWasDeliveredAndWhileNoneFails() {
		assertThat(this.sender.pushesPass()).isFalse();
		this.sender.changed(GROUP);
		this.scheduler.runDue();
		assertThat(this.sender.pushesPass()).isTrue();

		this.client.failingGroup = OTHER;
		this.sender.request(OTHER);
		this.scheduler.runDue();

		assertThat(this.sender.pushesPass()).isFalse();
	}

	@Test
	void aStartIsHeldForTheWholeMinimumIntervalEvenAfterAQuietTime() {
		this.holding.started(GROUP);
		this.scheduler.runDue();

		assertThat(this.client.pushed).isEmpty();
		assertThat(this.scheduler.advanceToNext()).isEqualTo(MIN_INTERVAL);
		assertThat(this.client.pushed).containsExactly("job:1");
	}

	@Test
	void aJobThatEndsWithinTheMinimumIntervalOfItsStartMakesOnePushItsEnd() {
		this.holding.started(GROUP);
		this.scheduler.shift(Duration.ofMillis(30));

		Delivery end = this.holding.request(GROUP);
		this.scheduler.runDue();

		assertThat(this.client.pushed).containsExactly("job:1");
		assertThat(end.await(Duration.ZERO)).isTrue();
		// What is left is the hold armed after that push, which finds nothing new.
		this.scheduler.advanceToNext();
		assertThat(this.client.pushed).containsExactly("job:1");
	}

	@Test
	void aJobsEndIsToldOfItsDeliveryBeforeTheHoldAfterItsPushIsArmed() {
		this.holding.started(GROUP);
		Delivery end = this.holding.request(GROUP);
		List<Boolean> deliveredWhenScheduling = new ArrayList<>();
		this.scheduler.onSchedule(() -> deliveredWhenScheduling.add(end.isDone()));

		this.scheduler.runDue();

		// The one timer armed by the push is the hold, and the job's thread was let go before it.
		assertThat(deliveredWhenScheduling).containsExactly(true);
		assertThat(this.scheduler.pendingDelays()).containsExactly(MIN_INTERVAL);
		this.holding.changed(GROUP);
		this.scheduler.runDue();
		assertThat(this.client.pushed).containsExactly("job:1");
		this.scheduler.advanceToNext();
		assertThat(this.client.pushed).containsExactly("job:1", "job:2");
	}

	@Test
	void theEndOfAJobWhoseStartIsHeldIsBuiltAndPushedWithoutGivingWayFirst() {
		AtomicInteger gaveWay = new AtomicInteger();
		GroupSender sender = sender(MIN_INTERVAL, gaveWay::incrementAndGet);
		sender.started(GROUP);

		Delivery end = sender.request(GROUP);
		this.scheduler.runDue();

		assertThat(end.await(Duration.ZERO)).isTrue();
		assertThat(gaveWay).hasValue(0);
	}

	@Test
	void aFlushIsBuiltAndPushedWithoutGivingWayFirst() {
		AtomicInteger gaveWay = new AtomicInteger();
		GroupSender sender = sender(MIN_INTERVAL, gaveWay::incrementAndGet);
		sender.started(GROUP);

		sender.flush(Duration.ZERO);
		this.scheduler.runDue();

		assertThat(this.client.pushed).containsExactly("job:1");
		assertThat(gaveWay).hasValue(0);
	}

	@Test
	void aChangeNobodyWaitsForGivesWayToTheJobsThreadBeforeItIsBuilt() {
		AtomicInteger gaveWay = new AtomicInteger();
		GroupSender sender = sender(Duration.ZERO, () -> {
			assertThat(this.source.built).hasValue(0);
			gaveWay.incrementAndGet();
		});

		sender.changed(GROUP);
		this.scheduler.runDue();

		assertThat(this.client.pushed).containsExactly("job:1");
		assertThat(gaveWay).hasValue(1);
	}

	@Test
	void aStartDuringAHoldKeepsTheHoldsEnd() {
		this.holding.changed(GROUP);
		this.scheduler.runDue();
		this.scheduler.shift(Duration.ofMillis(60));

		this.holding.started(GROUP);

		assertThat(this.scheduler.advanceToNext()).isEqualTo(Duration.ofMillis(40));
		assertThat(this.client.pushed).containsExactly("job:1", "job:2");
	}

	@Test
	void aStartIsPushedAtOnceWithoutAMinimumInterval() {
		this.sender.started(GROUP);
		this.scheduler.runDue();

		assertThat(this.client.pushed).containsExactly("job:1");
	}

	@Test
	void changesWithinTheMinimumIntervalArePushedTogetherAtItsEnd() {
		this.holding.changed(GROUP);
		this.scheduler.runDue();

		this.holding.changed(GROUP);
		this.holding.refresh(GROUP);
		this.holding.changed(GROUP);
		this.scheduler.runDue();

		assertThat(this.client.pushed).containsExactly("job:1");
		assertThat(this.scheduler.advanceToNext()).isEqualTo(MIN_INTERVAL);
		assertThat(this.client.pushed).containsExactly("job:1", "job:2");
	}

	@Test
	void aChangeDuringAPushIsHeldUntilTheIntervalSinceThatPushStartedHasPassed() {
		this.client.onPush = () -> {
			if (this.client.attempts == 1) {
				this.holding.changed(GROUP);
			}
		};
		this.holding.changed(GROUP);
		this.scheduler.runDue();

		assertThat(this.client.pushed).containsExactly("job:1");
		assertThat(this.scheduler.advanceToNext()).isEqualTo(MIN_INTERVAL);
		assertThat(this.client.pushed).containsExactly("job:1", "job:2");
	}

	@Test
	void theIntervalCountsFromTheStartOfTheGroupsLastPush() {
		this.client.onPush = () -> this.scheduler.shift(Duration.ofMillis(60));
		this.holding.changed(GROUP);
		this.scheduler.runDue();

		this.holding.changed(GROUP);

		assertThat(this.scheduler.advanceToNext()).isEqualTo(Duration.ofMillis(40));
		assertThat(this.client.pushed).containsExactly("job:1", "job:2");
	}

	@Test
	void aChangeSomebodyWaitsForDuringAPushGoesRightAfterIt() {
		List<Delivery> end = new ArrayList<>();
		this.client.onPush = () -> {
			if (end.isEmpty()) {
				end.add(this.holding.request(GROUP));
			}
		};
		this.holding.changed(GROUP);

		this.scheduler.runDue();

		assertThat(this.client.pushed).containsExactly("job:1", "job:2");
		assertThat(end.get(0).await(Duration.ZERO)).isTrue();
	}

	@Test
	void aChangeDuringARejectedPushIsPacedToo() {
		this.client.pushRejection = 400;
		this.client.onPush = () -> {
			if (this.client.attempts == 1) {
				this.holding.changed(GROUP);
			}
		};
		this.holding.changed(GROUP);
		this.scheduler.runDue();
		assertThat(this.client.attempts).isEqualTo(1);

		assertThat(this.scheduler.advanceToNext()).isEqualTo(MIN_INTERVAL);
		assertThat(this.client.attempts).isEqualTo(2);
	}

	@Test
	void aClockSetBackNeverHoldsAChangeLongerThanTheInterval() {
		// A rejected push arms no hold of its own: the next change computes it from the clock.
		this.client.pushRejection = 400;
		this.holding.changed(GROUP);
		this.scheduler.runDue();
		this.scheduler.shift(Duration.ofSeconds(-10));

		this.holding.changed(GROUP);

		assertThat(this.scheduler.pendingDelays()).containsExactly(MIN_INTERVAL);
	}

	@Test
	void changesWithinTheMinimumIntervalWakeNoThread() {
		// The hold is armed by the scheduler's thread after each push: a job's thread that finds it
		// only counts its event.
		this.holding.changed(GROUP);
		this.scheduler.runDue();
		AtomicInteger scheduled = new AtomicInteger();
		this.scheduler.onSchedule(scheduled::incrementAndGet);

		this.holding.changed(GROUP);
		this.holding.changed(GROUP);

		assertThat(scheduled).hasValue(0);
	}

	@Test
	void aChangeAfterTheMinimumIntervalIsPushedAtOnce() {
		this.holding.changed(GROUP);
		this.scheduler.runDue();
		// The hold ends with nothing new: no push.
		this.scheduler.advanceToNext();
		assertThat(this.client.pushed).containsExactly("job:1");

		this.holding.changed(GROUP);
		this.scheduler.runDue();

		assertThat(this.client.pushed).containsExactly("job:1", "job:2");
	}

	@Test
	void aChangeSomebodyWaitsForEndsTheHoldAtOnce() {
		this.holding.changed(GROUP);
		this.scheduler.runDue();
		this.holding.changed(GROUP);

		Delivery end = this.holding.request(GROUP);
		this.scheduler.runDue();

		assertThat(this.client.pushed).containsExactly("job:1", "job:2");
		assertThat(end.await(Duration.ZERO)).isTrue();
	}

	@Test
	void aFlushEndsTheHoldAtOnce() {
		this.holding.changed(GROUP);
		this.scheduler.runDue();
		this.holding.changed(GROUP);

		this.holding.flush(Duration.ZERO);
		this.scheduler.runDue();

		assertThat(this.client.pushed).containsExactly("job:1", "job:2");
	}

	@Test
	void theHoldOfOneGroupDoesNotDelayAnother() {
		this.holding.changed(GROUP);
		this.scheduler.runDue();

		this.holding.changed(OTHER);
		this.scheduler.runDue();

		assertThat(this.client.pushed).hasSize(2);
	}

	@Test
	void aSchedulerThatFailsOnceDoesNotStopTheGroupFromBeingPushedLater() {
		this.scheduler.onSchedule(() -> {
			throw new IllegalStateException("scheduler failed");
		});
		this.sender.request(GROUP);
		assertThat(this.scheduler.runDue()).isZero();

		this.scheduler.onSchedule(() -> {
		});
		this.sender.request(GROUP);
		this.scheduler.runDue();

		assertThat(this.client.pushed).hasSize(1);
	}

	@Test
	void requestReturnsAtOnceAndTheStateIsBuiltOnlyWhenTheSchedulerRuns() {
		Delivery delivery = this.sender.request(GROUP);

		assertThat(this.source.built).hasValue(0);
		assertThat(delivery.isDone()).isFalse();
		this.scheduler.runDue();
		assertThat(this.source.built).hasValue(1);
		assertThat(this.client.pushed).containsExactly("job:1");
		assertThat(delivery.await(Duration.ZERO)).isTrue();
	}

	@Test
	void aRequestAsksTheSchedulerForTheAttemptWithoutHoldingTheSendersLock() {
		// The scheduler's thread, woken by the request, takes the lock at once: a job's thread that
		// still held it would have to wake that thread a second time.
		AtomicBoolean lockFree = new AtomicBoolean();
		this.scheduler.onSchedule(() -> lockFree.set(CompletableFuture.supplyAsync(this.sender::failingGroups)
			.completeOnTimeout(null, 1, TimeUnit.SECONDS)
			.join() != null));

		this.sender.request(GROUP);

		assertThat(lockFree).isTrue();
	}

	@Test
	void requestsMadeBeforeTheAttemptShareOnePushOfTheNewestState() {
		Delivery first = this.sender.request(GROUP);
		Delivery second = this.sender.request(GROUP);
		Delivery third = this.sender.request(GROUP);

		this.scheduler.runDue();

		assertThat(this.client.pushed).containsExactly("job:1");
		assertThat(first.await(Duration.ZERO)).isTrue();
		assertThat(second.await(Duration.ZERO)).isTrue();
		assertThat(third.await(Duration.ZERO)).isTrue();
	}

	@Test
	void aRequestDuringAnAttemptIsServedByTheNextPushNotByTheOneInFlight() {
		List<Delivery> duringPush = new ArrayList<>();
		this.client.onPush = () -> {
			if (duringPush.isEmpty()) {
				duringPush.add(this.sender.request(GROUP));
			}
		};
		Delivery before = this.sender.request(GROUP);

		this.scheduler.runDue();

		assertThat(before.await(Duration.ZERO)).isTrue();
		assertThat(this.client.pushed).containsExactly("job:1", "job:2");
		assertThat(duringPush.get(0).await(Duration.ZERO)).isTrue();
	}

	@Test
	void theTargetIsReadBackOnceBeforeTheGroupsFirstPush() {
		this.client.held = new GroupOutcomes(Instant.ofEpochSecond(1000), null);

		this.sender.request(GROUP);
		this.scheduler.runDue();
		this.sender.request(GROUP);
		this.scheduler.runDue();

		assertThat(this.client.reads).isEqualTo(1);
		assertThat(this.source.absorbed).containsExactly(this.client.held);
		assertThat(this.client.pushed).hasSize(2);
	}

	@Test
	void aHeldStartHasTheTargetReadBackAtOnceSoThatTheJobsEndPushesWithoutReadingIt() {
		this.client.held = new GroupOutcomes(Instant.ofEpochSecond(1000), null);
		this.holding.started(GROUP);

		this.scheduler.runDue();

		// Read back during the hold, nothing pushed yet.
		assertThat(this.client.reads).isEqualTo(1);
		assertThat(this.source.absorbed).containsExactly(this.client.held);
		assertThat(this.client.pushed).isEmpty();
		this.scheduler.shift(Duration.ofMillis(30));
		AtomicInteger readsAtTheEndsPush = new AtomicInteger(-1);
		this.client.onPush = () -> readsAtTheEndsPush.set(this.client.reads);
		Delivery end = this.holding.request(GROUP);
		this.scheduler.runDue();
		assertThat(end.await(Duration.ZERO)).isTrue();
		assertThat(readsAtTheEndsPush).hasValue(1);
		assertThat(this.client.pushed).containsExactly("job:1");
	}

	@Test
	void aReadBackAheadThatFailsIsLeftToTheAttemptWhichIsToldAndRetriedAsAny() {
		List<Exception> failures = new ArrayList<>();
		GroupSender sender = new GroupSender(this.client, this.source,
				RetryPolicy.builder().maxRetries(2).delay(Duration.ofMillis(100)).build(), Duration.ofSeconds(30),
				MIN_INTERVAL, Duration.ZERO, new PushListener() {

					@Override
					public void pushFailed(PushGroup group, Exception failure, Duration took) {
						failures.add(failure);
					}

				}, this.scheduler, Thread::yield);
		this.client.readFailures = 2;
		sender.started(GROUP);

		this.scheduler.runDue();
		assertThat(this.client.reads).isEqualTo(1);
		assertThat(failures).isEmpty();
		assertThat(this.source.absorbed).isEmpty();

		// The hold's end: the attempt reads back (fails, told), its retry reads back and pushes.
		this.scheduler.advanceToNext();
		assertThat(failures).hasSize(1);
		this.scheduler.advanceToNext();
		assertThat(this.client.reads).isEqualTo(3);
		assertThat(this.source.absorbed).hasSize(1);
		assertThat(this.client.pushed).containsExactly("job:1");
	}

	@Test
	void aGroupReadBackAlreadyIsNotReadAgainAtItsNextStart() {
		this.holding.started(GROUP);
		this.scheduler.runDue();
		this.holding.request(GROUP);
		this.scheduler.runDue();
		this.scheduler.advanceToNext();

		this.holding.started(GROUP);
		this.scheduler.runDue();
		this.scheduler.advanceToNext();

		assertThat(this.client.reads).isEqualTo(1);
		assertThat(this.client.pushed).containsExactly("job:1", "job:2");
	}

	@Test
	void aStartPushedAtOnceReadsBackInItsAttemptOnly() {
		this.sender.started(GROUP);

		assertThat(this.scheduler.runDue()).isEqualTo(1);
		assertThat(this.client.reads).isEqualTo(1);
		assertThat(this.client.pushed).containsExactly("job:1");
	}

	@Test
	void aFailedReadBackIsRetriedAndNothingIsPushedWithoutIt() {
		this.client.readFailures = 1;

		Delivery delivery = this.sender.request(GROUP);
		this.scheduler.runDue();

		assertThat(this.client.pushed).isEmpty();
		this.scheduler.advanceToNext();
		assertThat(this.client.reads).isEqualTo(2);
		assertThat(this.client.pushed).containsExactly("job:1");
		assertThat(delivery.await(Duration.ZERO)).isTrue();
	}

	@Test
	void aReadBackTheTargetRefusesForGoodDoesNotKeepTheStateFromBeingPushed() {
		this.client.readRejection = 403;

		Delivery delivery = this.sender.request(GROUP);
		this.scheduler.runDue();

		assertThat(this.client.pushed).containsExactly("job:1");
		assertThat(delivery.await(Duration.ZERO)).isTrue();
	}

	@Test
	void failedPushesAreRetriedWithTheBackOffOfThePolicyEachWithTheNewestState() {
		this.client.pushFailures = 2;
		Delivery delivery = this.sender.request(GROUP);

		this.scheduler.runDue();
		assertThat(this.scheduler.pendingDelays()).containsExactly(Duration.ofMillis(100));
		this.sender.request(GROUP);
		assertThat(this.scheduler.advanceToNext()).isEqualTo(Duration.ofMillis(100));
		assertThat(this.scheduler.advanceToNext()).isEqualTo(Duration.ofMillis(200));

		assertThat(this.client.attempts).isEqualTo(3);
		assertThat(this.client.pushed).containsExactly("job:3");
		assertThat(delivery.await(Duration.ZERO)).isTrue();
	}

	@Test
	void stateWhoseRetriesAreExhaustedIsGivenUpThenRedeliveredAfterTheInterval() {
		this.client.pushFailures = Integer.MAX_VALUE;
		Delivery delivery = this.sender.request(GROUP);

		this.scheduler.runDue();
		this.scheduler.advanceToNext();
		this.scheduler.advanceToNext();

		assertThat(this.client.attempts).isEqualTo(3);
		assertThat(delivery.await(Duration.ZERO)).isFalse();
		assertThat(this.sender.undeliveredGroups()).containsExactly(GROUP);
		assertThat(this.scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(30));
		this.client.pushFailures = 0;
		this.scheduler.advanceToNext();
		assertThat(this.client.pushed).hasSize(1);
		assertThat(this.sender.undeliveredGroups()).isEmpty();
	}

	@Test
	void aNewRequestSendsStateWaitingForRedeliveryAtOnce() {
		this.client.pushFailures = 3;
		this.sender.request(GROUP);
		this.scheduler.runDue();
		this.scheduler.advanceToNext();
		this.scheduler.advanceToNext();

		Delivery delivery = this.sender.request(GROUP);
		this.scheduler.runDue();

		assertThat(delivery.await(Duration.ZERO)).isTrue();
		assertThat(this.scheduler.pendingDelays()).isEmpty();
	}

	@Test
	void aSuccessfulPushOfAnotherGroupRedeliversWaitingStateAtOnce() {
		this.client.failingGroup = GROUP;
		this.sender.request(GROUP);
		this.scheduler.runDue();
		this.scheduler.advanceToNext();
		this.scheduler.advanceToNext();
		assertThat(this.sender.undeliveredGroups()).containsExactly(GROUP);

		this.client.failingGroup = null;
		this.sender.request(OTHER);
		this.scheduler.runDue();

		assertThat(this.sender.undeliveredGroups()).isEmpty();
	}

	@Test
	void aRejectedPushIsNotRetriedButCheckedAgainAfterTheRedeliveryIntervalAndTheNextChangeIsSent() {
		this.client.pushRejection = 400;
		Delivery rejected = this.sender.request(GROUP);

		this.scheduler.runDue();

		assertThat(rejected.await(Duration.ZERO)).isFalse();
		assertThat(this.client.attempts).isEqualTo(1);
		assertThat(this.scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(30));
		assertThat(this.sender.undeliveredGroups()).isEmpty();
		this.client.pushRejection = 0;
		Delivery next = this.sender.request(GROUP);
		this.scheduler.runDue();
		assertThat(next.await(Duration.ZERO)).isTrue();
	}

	@Test
	void aGroupIsFailingFromItsFirstFailedAttemptUntilItsStateIsDelivered() {
		this.client.pushFailures = Integer.MAX_VALUE;
		this.sender.request(GROUP);
		Instant before = Instant.now();

		this.scheduler.runDue();
		Instant since = this.sender.failingGroups().get(GROUP);
		this.scheduler.advanceToNext();
		this.scheduler.advanceToNext();

		assertThat(since).isBetween(before, Instant.now());
		assertThat(this.sender.failingGroups()).containsExactly(entry(GROUP, since));
		assertThat(this.sender.failingGroupsByTarget())
			.containsExactly(entry(this.client.describe(), Map.of(GROUP, since)));
		this.client.pushFailures = 0;
		this.scheduler.advanceToNext();
		assertThat(this.sender.failingGroups()).isEmpty();
		assertThat(this.sender.failingGroupsByTarget()).isEmpty();
	}

	@Test
	void aGroupWhosePushIsOnlyPendingIsNotFailing() {
		this.sender.request(GROUP);

		assertThat(this.sender.undeliveredGroups()).containsExactly(GROUP);
		assertThat(this.sender.failingGroups()).isEmpty();
	}

	@Test
	void aRejectedGroupIsFailingUntilAPushOfItSucceeds() {
		this.client.pushRejection = 400;
		this.sender.request(GROUP);
		this.scheduler.runDue();

		assertThat(this.sender.failingGroups()).containsOnlyKeys(GROUP);
		this.client.pushRejection = 0;
		this.sender.request(GROUP);
		this.scheduler.runDue();
		assertThat(this.sender.failingGroups()).isEmpty();
	}

	@Test
	void aRejectedGroupRecoversWhenTheCauseIsGoneWithoutAnotherChange() {
		// the cause lies outside the group's state: another group held a metric of the same name
		// with another type, and was deleted since
		this.client.pushRejection = 400;
		this.sender.changed(GROUP);
		this.scheduler.runDue();
		assertThat(this.scheduler.advanceToNext()).isEqualTo(Duration.ofSeconds(30));
		assertThat(this.client.attempts).as("checked again, still rejected").isEqualTo(2);
		assertThat(this.sender.failingGroups()).containsOnlyKeys(GROUP);

		this.client.pushRejection = 0;
		assertThat(this.scheduler.advanceToNext()).isEqualTo(Duration.ofSeconds(30));

		assertThat(this.client.attempts).isEqualTo(3);
		assertThat(this.sender.failingGroups()).isEmpty();
		assertThat(this.scheduler.pendingDelays()).as("no check once delivered").isEmpty();
	}

	@Test
	void aHeartbeatChecksARejectedGroupAtItsOwnPace() {
		this.client.pushRejection = 400;
		this.sender.changed(GROUP);
		this.scheduler.runDue();
		this.client.pushRejection = 0;

		this.sender.refresh(GROUP);
		this.scheduler.runDue();

		assertThat(this.client.attempts).isEqualTo(2);
		assertThat(this.sender.failingGroups()).isEmpty();
	}

	@Test
	void serverErrorsAreRetried() {
		this.client.pushRejection = 503;
		this.sender.request(GROUP);

		this.scheduler.runDue();

		assertThat(this.scheduler.pendingDelays()).containsExactly(Duration.ofMillis(100));
	}

	@Test
	void aGroupWithNothingToShowIsNotPushed() {
		this.source.empty = true;

		Delivery delivery = this.sender.request(GROUP);
		this.scheduler.runDue();

		assertThat(this.client.pushed).isEmpty();
		assertThat(delivery.await(Duration.ZERO)).isTrue();
	}

	@Test
	void aHeartbeatRefreshDoesNotCutTheRedeliveryIntervalShort() {
		this.client.pushFailures = Integer.MAX_VALUE;
		this.sender.request(GROUP);
		this.scheduler.runDue();
		this.scheduler.advanceToNext();
		this.scheduler.advanceToNext();
		int attempts = this.client.attempts;

		this.sender.refresh(GROUP);
		this.scheduler.runDue();

		assertThat(this.client.attempts).isEqualTo(attempts);
		assertThat(this.scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(30));
	}

	@Test
	void anEventDuringTheLastRetryIsTriedAtOnceWhenTheRetriesAreExhausted() {
		this.client.pushFailures = 3;
		List<Delivery> end = new ArrayList<>();
		this.client.onPush = () -> {
			if (this.client.attempts == 3) {
				end.add(this.sender.request(GROUP));
			}
		};
		this.sender.request(GROUP);
		this.scheduler.runDue();

		this.scheduler.advanceToNext();
		this.scheduler.advanceToNext();

		assertThat(this.client.attempts).isEqualTo(4);
		assertThat(end.get(0).await(Duration.ZERO)).isTrue();
		assertThat(this.scheduler.pendingDelays()).isEmpty();
	}

	@Test
	void anErrorWhileBuildingTheStateDoesNotStopTheGroupForGood() {
		this.source.error = new NoClassDefFoundError("io/prometheus/metrics/tracer/initializer/SpanContextSupplier");
		Delivery failed = this.sender.request(GROUP);
		this.scheduler.runDue();

		this.source.error = null;
		Delivery next = this.sender.request(GROUP);
		this.scheduler.runDue();

		assertThat(failed.await(Duration.ZERO)).isFalse();
		assertThat(next.await(Duration.ZERO)).isTrue();
		assertThat(this.client.attempts).isEqualTo(1);
	}

	@Test
	void aStateThatCannotBeBuiltIsNotCheckedAgainOnATimer() {
		// The state source fails the same way until the group changes: a timer would only log it again.
		this.source.error = new NoClassDefFoundError("io/prometheus/metrics/tracer/initializer/SpanContextSupplier");
		this.sender.request(GROUP);
		this.scheduler.runDue();

		assertThat(this.scheduler.pendingDelays()).isEmpty();
	}

	@Test
	void closeTellsWaitersAndLaterRequestsThatNothingWillBeSent() {
		this.client.pushFailures = Integer.MAX_VALUE;
		Delivery waiting = this.sender.request(GROUP);
		this.scheduler.runDue();

		this.sender.close(Duration.ZERO);

		assertThat(waiting.await(Duration.ZERO)).isFalse();
		assertThat(this.sender.request(GROUP).await(Duration.ZERO)).isFalse();
	}

	private static final class CountingSource implements GroupStateSource {

		final AtomicInteger built = new AtomicInteger();

		final List<GroupOutcomes> absorbed = new ArrayList<>();

		boolean empty;

		@Nullable Error error;

		@Override
		public void absorb(PushGroup group, GroupOutcomes held) {
			this.absorbed.add(held);
		}

		@Override
		public @Nullable MetricSnapshots snapshot(PushGroup group) {
			int build = this.built.incrementAndGet();
			if (this.error != null) {
				throw this.error;
			}
			if (this.empty) {
				return null;
			}
			return new MetricSnapshots(GaugeSnapshot.builder()
				.name("build")
				.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(build).build())
				.build());
		}

	}

	private static final class RecordingClient implements PushClient {

		final List<String> pushed = new ArrayList<>();

		GroupOutcomes held = GroupOutcomes.NONE;

		int reads;

		int readFailures;

		int readRejection;

		int attempts;

		int pushFailures;

		int pushRejection;

		@Nullable PushGroup failingGroup;

		Runnable onPush = () -> {
		};

		@Override
		public void push(PushGroup group, MetricSnapshots metrics) throws IOException {
			this.attempts++;
			this.onPush.run();
			if (this.pushRejection != 0) {
				throw new PushRejectedException(this.pushRejection, "rejected");
			}
			if (this.pushFailures > 0 || group.equals(this.failingGroup)) {
				this.pushFailures--;
				throw new ConnectException("Connection refused");
			}
			double build = metrics.get(0).getDataPoints().get(0) instanceof GaugeSnapshot.GaugeDataPointSnapshot point
					? point.getValue() : -1;
			this.pushed.add(group.job() + ":" + (int) build);
		}

		@Override
		public GroupOutcomes readOutcomes(PushGroup group) throws IOException {
			this.reads++;
			if (this.readRejection != 0) {
				throw new PushRejectedException(this.readRejection, "forbidden");
			}
			if (this.readFailures > 0) {
				this.readFailures--;
				throw new ConnectException("Connection refused");
			}
			return this.held;
		}

	}

}
