package io.github.batchpushgateway.autoconfigure;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.batchpushgateway.push.PushGroup;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BatchPushgatewayHealthIndicator}.
 */
class BatchPushgatewayHealthIndicatorTests {

	private static final Instant TWO = Instant.parse("2026-11-30T02:00:00Z");

	private static final Instant TWO_FIVE = Instant.parse("2026-11-30T02:05:00Z");

	private final Map<PushGroup, Instant> failing = new LinkedHashMap<>();

	private final BatchPushgatewayHealthIndicator indicator = new BatchPushgatewayHealthIndicator(() -> this.failing,
			"https://gateway.monitoring:9091");

	@Test
	void isUpAndDeliveredWhileNoGroupFails() {
		Health health = this.indicator.health();

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsOnly(Map.entry("target", "https://gateway.monitoring:9091"),
				Map.entry("delivery", "delivered"));
	}

	@Test
	void staysUpByDefaultAndNamesEveryUndeliveredGroupAndSinceWhen() {
		this.failing.put(PushGroup.of("nightlyImport"), TWO);
		this.failing.put(new PushGroup("export", Map.of("region", "eu")), TWO_FIVE);

		Health health = this.indicator.health();

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("target", "https://gateway.monitoring:9091")
			.containsEntry("delivery", "undelivered")
			.containsEntry("undeliveredGroups", Map.of("job=nightlyImport", "2026-11-30T02:00:00Z",
					"job=export {region=eu}", "2026-11-30T02:05:00Z"))
			.doesNotContainKeys("partlyDeliveredGroups", "failingTargets");
	}

	@Test
	void optedIntoDownIsDownWhileAGroupIsUndelivered() {
		BatchPushgatewayHealthIndicator indicator = new BatchPushgatewayHealthIndicator(
				() -> Map.of("http://gateway:9091", Map.of(PushGroup.of("nightlyImport"), TWO)),
				List.of("http://gateway:9091"), true);

		Health health = indicator.health();

		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("delivery", "undelivered")
			.containsEntry("undeliveredGroups", Map.of("job=nightlyImport", "2026-11-30T02:00:00Z"));
	}

	@Test
	void optedIntoDownIsUpAgainOnceTheGroupIsDelivered() {
		Map<String, Map<PushGroup, Instant>> failingByTarget = new LinkedHashMap<>();
		failingByTarget.put("http://gateway:9091", Map.of(PushGroup.of("nightlyImport"), TWO));
		BatchPushgatewayHealthIndicator indicator = new BatchPushgatewayHealthIndicator(() -> failingByTarget,
				List.of("http://gateway:9091"), true);
		assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);

		failingByTarget.clear();

		assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
		assertThat(indicator.health().getDetails()).containsEntry("delivery", "delivered");
	}

	@Test
	void aGroupThatAnotherTargetHoldsIsPartlyDeliveredAndNeverDownEvenOptedIn() {
		// gateway A and the textfile directory took every push; gateway B is down
		Map<String, Map<PushGroup, Instant>> failingByTarget = Map.of("http://gateway-b:9091",
				Map.of(PushGroup.of("nightlyImport"), TWO));
		BatchPushgatewayHealthIndicator indicator = new BatchPushgatewayHealthIndicator(() -> failingByTarget,
				List.of("http://gateway-a:9091", "http://gateway-b:9091", "textfile:/var/lib/node_exporter"), true);

		Health health = indicator.health();

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails())
			.containsEntry("target", "http://gateway-a:9091, http://gateway-b:9091, textfile:/var/lib/node_exporter")
			.containsEntry("delivery", "partial")
			.containsEntry("partlyDeliveredGroups", Map.of("job=nightlyImport", "2026-11-30T02:00:00Z"))
			.containsEntry("failingTargets",
					Map.of("http://gateway-b:9091", Map.of("job=nightlyImport", "2026-11-30T02:00:00Z")))
			.doesNotContainKey("undeliveredGroups");
	}

	@Test
	void aGroupFailingAtEveryTargetIsUndeliveredSinceTheLastOfThemFailedAndDownWhenOptedIn() {
		Map<String, Map<PushGroup, Instant>> failingByTarget = new LinkedHashMap<>();
		failingByTarget.put("http://gateway-a:9091", Map.of(PushGroup.of("nightlyImport"), TWO_FIVE));
		failingByTarget.put("http://gateway-b:9091",
				Map.of(PushGroup.of("nightlyImport"), TWO, PushGroup.of("export"), TWO));
		BatchPushgatewayHealthIndicator indicator = new BatchPushgatewayHealthIndicator(() -> failingByTarget,
				List.of("http://gateway-a:9091", "http://gateway-b:9091"), true);

		Health health = indicator.health();

		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("delivery", "undelivered")
			.containsEntry("undeliveredGroups", Map.of("job=nightlyImport", "2026-11-30T02:05:00Z"))
			.containsEntry("partlyDeliveredGroups", Map.of("job=export", "2026-11-30T02:00:00Z"));
	}

}
