package io.github.batchpushgateway.push;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link FanOutSender}.
 */
class FanOutSenderTests {

	private static final PushGroup GROUP = PushGroup.of("job");

	private final StateSender first = mock(StateSender.class);

	private final StateSender second = mock(StateSender.class);

	private final FanOutSender sender = new FanOutSender(List.of(this.first, this.second));

	@Test
	void aDeliveryIsCompleteOnlyWhenEveryTargetHasTheState() {
		given(this.first.request(GROUP)).willReturn(Delivery.failed());
		given(this.second.request(GROUP)).willReturn(new Delivery(delivered()));

		assertThat(this.sender.request(GROUP).await(Duration.ZERO)).isFalse();
	}

	@Test
	void startsReachEveryTarget() {
		this.sender.started(GROUP);

		then(this.first).should().started(GROUP);
		then(this.second).should().started(GROUP);
	}

	@Test
	void refreshesAndUndeliveredGroupsCoverEveryTarget() {
		given(this.second.undeliveredGroups()).willReturn(List.of(GROUP));

		this.sender.refresh(GROUP);

		then(this.first).should().refresh(GROUP);
		then(this.second).should().refresh(GROUP);
		assertThat(this.sender.undeliveredGroups()).containsExactly(GROUP);
	}

	@Test
	void failingGroupsAreToldByTargetForEveryTargetThatHasAny() {
		Instant since = Instant.parse("2026-11-30T02:00:00Z");
		given(this.first.failingGroupsByTarget()).willReturn(java.util.Map.of());
		given(this.second.failingGroupsByTarget())
			.willReturn(java.util.Map.of("http://gateway-b:9091", java.util.Map.of(GROUP, since)));

		assertThat(this.sender.failingGroupsByTarget())
			.containsExactly(org.assertj.core.api.Assertions.entry("http://gateway-b:9091", java.util.Map.of(GROUP, since)));
	}

	@Test
	void closingClosesEveryTargetAtOnce() {
		// Each target's close returns only once both have begun: closed one after the other, the
		// first would wait in vain and say so.
		CountDownLatch bothClosing = new CountDownLatch(2);
		List<Boolean> sawTheOther = new CopyOnWriteArrayList<>();
		org.mockito.BDDMockito.willAnswer((invocation) -> {
			bothClosing.countDown();
			sawTheOther.add(bothClosing.await(5, TimeUnit.SECONDS));
			return null;
		}).given(this.first).close(Duration.ofSeconds(10));
		org.mockito.BDDMockito.willAnswer((invocation) -> {
			bothClosing.countDown();
			sawTheOther.add(bothClosing.await(5, TimeUnit.SECONDS));
			return null;
		}).given(this.second).close(Duration.ofSeconds(10));

		this.sender.close(Duration.ofSeconds(10));

		assertThat(sawTheOther).containsExactly(true, true);
		then(this.first).should().close(Duration.ofSeconds(10));
		then(this.second).should().close(Duration.ofSeconds(10));
	}

	@Test
	void aFlushSucceedsOnlyWhenEveryTargetsFlushDoes() {
		given(this.first.flush(Duration.ofSeconds(10))).willReturn(true);
		given(this.second.flush(Duration.ofSeconds(10))).willReturn(false, true);

		assertThat(this.sender.flush(Duration.ofSeconds(10))).isFalse();
		assertThat(this.sender.flush(Duration.ofSeconds(10))).isTrue();
	}

	@Test
	void aFlushThatFailsAtOneTargetIsNotDelivered() {
		given(this.first.flush(Duration.ofSeconds(10))).willThrow(new IllegalStateException("broken"));
		given(this.second.flush(Duration.ofSeconds(10))).willReturn(true);

		assertThat(this.sender.flush(Duration.ofSeconds(10))).isFalse();
	}

	private static DeliveryOutcome delivered() {
		DeliveryOutcome outcome = new DeliveryOutcome();
		outcome.complete(true);
		return outcome;
	}

}
