package io.github.batchpushgateway.health;

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

	private final Map<PushGroup, Instant> failing = new LinkedHashMap<>();

	private final BatchPushgatewayHealthIndicator indicator = new BatchPushgatewayHealthIndicator(() -> this.failing,
			"https://gateway.monitoring:9091");

	@Test
	void isUpWhileNoGroupFails() {
		Health health = this.indicator.health();

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsOnly(Map.entry("target", "https://gateway.monitoring:9091"));
	}

	@Test
	void isDownWithEveryUndeliveredGroupAndSinceWhen() {
		this.failing.put(PushGroup.of("nightlyImport"), Instant.parse("2026-11-30T02:00:00Z"));
		this.failing.put(new PushGroup("export", Map.of("region", "eu")), Instant.parse("2026-11-30T02:05:00Z"));

		Health health = this.indicator.health();

		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("target", "https://gateway.monitoring:9091")
			.containsEntry("undeliveredGroups", Map.of("job=nightlyImport", "2026-11-30T02:00:00Z",
					"job=export {region=eu}", "2026-11-30T02:05:00Z"));
	}

	@Test
	void withSeveralTargetsTheDetailsSayWhichFail() {
		// gateway A and the textfile directory took every push; gateway B is down
		Map<String, Map<PushGroup, Instant>> failingByTarget = Map.of("http://gateway-b:9091",
				Map.of(PushGroup.of("nightlyImport"), Instant.parse("2026-11-30T02:00:00Z")));
		BatchPushgatewayHealthIndicator indicator = new BatchPushgatewayHealthIndicator(() -> failingByTarget,
				List.of("http://gateway-a:9091", "http://gateway-b:9091", "textfile:/var/lib/node_exporter"));

		Health health = indicator.health();

		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails())
			.containsEntry("target", "http://gateway-a:9091, http://gateway-b:9091, textfile:/var/lib/node_exporter")
			.containsEntry("undeliveredGroups", Map.of("job=nightlyImport", "2026-11-30T02:00:00Z"))
			.containsEntry("failingTargets",
					Map.of("http://gateway-b:9091", Map.of("job=nightlyImport", "2026-11-30T02:00:00Z")));
	}

	@Test
	void aGroupFailingAtTwoTargetsIsUndeliveredSinceItsEarliestFailure() {
		Map<String, Map<PushGroup, Instant>> failingByTarget = new LinkedHashMap<>();
		failingByTarget.put("http://gateway-a:9091", Map.of(PushGroup.of("nightlyImport"), Instant.parse("2026-11-30T02:05:00Z")));
		failingByTarget.put("http://gateway-b:9091", Map.of(PushGroup.of("nightlyImport"), Instant.parse("2026-11-30T02:00:00Z")));
		BatchPushgatewayHealthIndicator indicator = new BatchPushgatewayHealthIndicator(() -> failingByTarget,
				List.of("http://gateway-a:9091", "http://gateway-b:9091"));

		assertThat(indicator.health().getDetails()).containsEntry("undeliveredGroups",
				Map.of("job=nightlyImport", "2026-11-30T02:00:00Z"));
	}

}
