package io.github.batchpushgateway.push;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * Tests for {@link GatewayRefill}.
 */
@ExtendWith(OutputCaptureExtension.class)
class GatewayRefillTests {

	private static final Instant FIRST_START = Instant.parse("2026-12-07T02:00:00Z");

	private static final Instant RESTART = Instant.parse("2026-12-07T03:00:00Z");

	private final PushClient client = mock(PushClient.class);

	private final PushGroup nightly = PushGroup.of("nightlyJob");

	private final PushGroup hourly = new PushGroup("hourlyJob", Map.of("service", "shop"));

	private final List<PushGroup> refilled = new ArrayList<>();

	private boolean pushesPass = true;

	private final GatewayRefill refill = new GatewayRefill(this.client, () -> List.of(this.nightly, this.hourly),
			this.refilled::add, () -> this.pushesPass);

	@Test
	void groupsAGatewayLostAtARestartArePushedAgainAndGroupsItHoldsAreNot() throws IOException {
		// given a gateway that restarted empty, then took a push of hourlyJob before the check
		given(this.client.startTime()).willReturn(RESTART);
		given(this.client.heldGroups()).willReturn(Set.of(this.hourly));

		// when
		this.refill.run();

		// then
		assertThat(this.refilled).containsExactly(this.nightly);
	}

	@Test
	void theGroupsAreReadOnlyOncePerStartOfTheGateway() throws IOException {
		// given
		given(this.client.startTime()).willReturn(FIRST_START, FIRST_START, FIRST_START, RESTART);
		given(this.client.heldGroups()).willReturn(Set.of(this.nightly, this.hourly), Set.of());

		// when checked four times, the gateway restarting before the last
		for (int i = 0; i < 4; i++) {
			this.refill.run();
		}

		// then
		verify(this.client, times(2)).heldGroups();
		assertThat(this.refilled).containsExactlyInAnyOrder(this.nightly, this.hourly);
	}

	@Test
	void aGatewayThatCannotBeReadIsCheckedAgainNextTime() throws IOException {
		// given it is down at the first check, and answers the status but not the groups at the second
		given(this.client.startTime()).willThrow(new ConnectException("Connection refused"))
			.willReturn(RESTART, RESTART);
		given(this.client.heldGroups()).willThrow(new ConnectException("Connection refused"))
			.willReturn(Set.of(this.hourly));

		// when
		this.refill.run();
		this.refill.run();
		this.refill.run();

		// then
		assertThat(this.refilled).containsExactly(this.nightly);
	}

	@Test
	void aCheckTheGatewayRefusesIsLoggedOnceAtWarnAndAnOutageNot(CapturedOutput output) throws IOException {
		// given an outage, then a proxy that forwards only pushes
		given(this.client.describe()).willReturn("http://gateway:9091");
		given(this.client.startTime())
			.willThrow(new PushRejectedException(503, "Pushgateway answered 503 to the read of its status"))
			.willThrow(new PushRejectedException(404, "Pushgateway answered 404 to the read of its status"))
			.willThrow(new PushRejectedException(404, "Pushgateway answered 404 to the read of its status"));

		// when
		this.refill.run();
		this.refill.run();
		this.refill.run();

		// then
		assertThat(output.getAll().lines().filter((line) -> line.contains("WARN"))).singleElement()
			.asString()
			.contains("http://gateway:9091", "404", "refill-check-interval");
	}

	@Test
	void aCheckRefusedBeforeThePushesPassIsLeftToThePushesWarning(CapturedOutput output)
			throws IOException {
		// given wrong credentials: the check is refused, the pushes are refused or not made yet
		given(this.client.describe()).willReturn("http://gateway:9091");
		given(this.client.startTime())
			.willThrow(new PushRejectedException(401, "Pushgateway answered 401 to the read of its status"));
		this.pushesPass = false;

		// when
		this.refill.run();
		this.refill.run();

		// then the pushes' own warning is the only one
		assertThat(output.getAll().lines().filter((line) -> line.contains("WARN"))).isEmpty();

		// and when the pushes pass but the check is still refused (credentials that may push, not read)
		this.pushesPass = true;
		this.refill.run();

		// then the check names its refusal
		assertThat(output.getAll().lines().filter((line) -> line.contains("WARN"))).singleElement()
			.asString()
			.contains("http://gateway:9091", "401");
	}

	@Test
	void aTargetThatDoesNotTellItsStartIsNeverReadForItsGroups() throws IOException {
		// given a textfile target, or a client of the user's: startTime() is null
		this.refill.run();

		verify(this.client, never()).heldGroups();
		assertThat(this.refilled).isEmpty();
	}

	@Test
	void withNothingPushedYetTheGatewayIsNotAsked() throws IOException {
		// given the check that runs as the application starts, before any job
		GatewayRefill beforeAnyJob = new GatewayRefill(this.client, List::of, this.refilled::add, () -> true);

		// when
		beforeAnyJob.run();

		// then: not even its start is read
		verify(this.client, never()).startTime();
		verify(this.client, never()).heldGroups();
	}

	@Test
	void theFirstCheckAfterThePushesComparesWhatTheGatewayHolds() throws IOException {
		// given a check before any push, then pushes, then a check with the gateway not restarted
		List<PushGroup> pushed = new ArrayList<>();
		GatewayRefill refill = new GatewayRefill(this.client, () -> pushed, this.refilled::add, () -> true);
		given(this.client.startTime()).willReturn(FIRST_START);
		given(this.client.heldGroups()).willReturn(Set.of(this.hourly));
		refill.run();
		pushed.addAll(List.of(this.nightly, this.hourly));

		// when
		refill.run();

		// then the group it lost meanwhile is pushed again
		assertThat(this.refilled).containsExactly(this.nightly);
	}

}
