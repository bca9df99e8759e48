package io.github.batchpushgateway.health;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.github.batchpushgateway.push.PushGroup;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.util.Assert;

/**
 * Health of the delivery of job state to the targets: {@code UP} while pushes succeed (or none
 * has been needed yet), {@code DOWN} while the last attempt of any group failed at any target, with
 * the targets' addresses, per undelivered group since when its pushes fail, and with several
 * targets which of them fail. Credentials appear nowhere: the
 * address never holds any (startup refuses it) and groups are job names and grouping labels.
 *
 * <p>A failing gateway is no reason to restart the application: keep this contributor out of
 * liveness probes (Spring Boot's probe groups leave it out unless told otherwise).
 */
public final class BatchPushgatewayHealthIndicator extends AbstractHealthIndicator {

	private final Supplier<Map<String, Map<PushGroup, Instant>>> failingByTarget;

	private final List<String> targets;

	/**
	 * Creates an indicator for one target.
	 * @param failingGroups the groups whose last push failed, each with since when
	 * @param target the target's description, without credentials
	 */
	public BatchPushgatewayHealthIndicator(Supplier<Map<PushGroup, Instant>> failingGroups, String target) {
		this(failingByTargetOf(failingGroups, target), List.of(target));
	}

	/**
	 * Creates an indicator for several targets: when some fail, the details say which
	 * ({@code failingTargets}), next to the groups undelivered anywhere.
	 * @param failingByTarget the groups whose last push failed, each with since when, by the
	 * description of the target they failed at; only targets with failing groups
	 * @param targets the targets' descriptions, without credentials
	 */
	public BatchPushgatewayHealthIndicator(Supplier<Map<String, Map<PushGroup, Instant>>> failingByTarget,
			List<String> targets) {
		super("Pushgateway delivery health check failed");
		Assert.notNull(failingByTarget, "'failingByTarget' must not be null");
		Assert.notEmpty(targets, "'targets' must not be empty");
		this.failingByTarget = failingByTarget;
		this.targets = List.copyOf(targets);
	}

	private static Supplier<Map<String, Map<PushGroup, Instant>>> failingByTargetOf(
			Supplier<Map<PushGroup, Instant>> failingGroups, String target) {
		Assert.notNull(failingGroups, "'failingGroups' must not be null");
		Assert.notNull(target, "'target' must not be null");
		return () -> {
			Map<PushGroup, Instant> failing = failingGroups.get();
			return failing.isEmpty() ? Map.of() : Map.of(target, failing);
		};
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Map<String, Map<PushGroup, Instant>> failing = this.failingByTarget.get();
		builder.withDetail("target", String.join(", ", this.targets));
		if (failing.isEmpty()) {
			builder.up();
			return;
		}
		// Each group's earliest failure at any target.
		Map<PushGroup, Instant> earliest = new LinkedHashMap<>();
		failing.values()
			.forEach((groups) -> groups.forEach((group, since) -> earliest.merge(group, since,
					(a, b) -> a.isBefore(b) ? a : b)));
		builder.down().withDetail("undeliveredGroups", describe(earliest));
		if (this.targets.size() > 1) {
			Map<String, Map<String, String>> byTarget = new LinkedHashMap<>();
			failing.forEach((target, groups) -> byTarget.put(target, describe(groups)));
			builder.withDetail("failingTargets", byTarget);
		}
	}

	private static Map<String, String> describe(Map<PushGroup, Instant> groups) {
		Map<String, String> described = new LinkedHashMap<>();
		groups.forEach((group, since) -> described.put(group.toString(), since.toString()));
		return described;
	}

}
