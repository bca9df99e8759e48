package io.github.batchpushgateway.autoconfigure;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;

import io.github.batchpushgateway.push.PushGroup;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.util.Assert;

/**
 * Health of the delivery of job state to the targets. It informs and, by default, never fails the
 * application: it stays {@code UP}, as Spring Boot's own SSL health indicator does for expiring
 * certificates, since a monitoring gateway that is down is no reason for a load balancer, a
 * Docker health check or an orchestrator to take the application out of service. Its details
 * say how far state gets:
 * <ul>
 * <li>{@code delivery}: {@code delivered} (no group's last push failed), {@code partial} (some
 * target lacks some group's newest state, but every group is held by another target) or
 * {@code undelivered} (some group's last push failed at every target: no target holds its
 * newest state);</li>
 * <li>{@code undeliveredGroups}: those groups, each with since when it fails at every
 * target;</li>
 * <li>{@code partlyDeliveredGroups}: groups that fail at some targets only, each with its
 * earliest failure;</li>
 * <li>{@code failingTargets}, with several targets: per failing target, its failing groups and
 * since when.</li>
 * </ul>
 * Created to go {@code DOWN} while some group is undelivered, it makes the aggregate health
 * {@code DOWN} (HTTP 503) then; a group that one of several targets holds never does.
 * Credentials appear nowhere: the address never holds any (startup refuses it) and groups are job
 * names and grouping labels.
 *
 * <p>A failing gateway is no reason to restart the application either: keep this contributor out
 * of liveness probes (Spring Boot's probe groups leave it out unless told otherwise).
 */
final class BatchPushgatewayHealthIndicator extends AbstractHealthIndicator {

	private final Supplier<Map<String, Map<PushGroup, Instant>>> failingByTarget;

	private final List<String> targets;

	private final boolean downWhenUndelivered;

	/**
	 * Creates an indicator for one target that stays {@code UP}.
	 * @param failingGroups the groups whose last push failed, each with since when
	 * @param target the target's description, without credentials
	 */
	BatchPushgatewayHealthIndicator(Supplier<Map<PushGroup, Instant>> failingGroups, String target) {
		this(failingByTargetOf(failingGroups, target), List.of(target), false);
	}

	/**
	 * Creates an indicator for several targets.
	 * @param failingByTarget the groups whose last push failed, each with since when, by the
	 * description of the target they failed at; only targets with failing groups
	 * @param targets the targets' descriptions, without credentials
	 * @param downWhenUndelivered whether to be {@code DOWN} while some group's last push failed at
	 * every target, rather than {@code UP} with details
	 */
	BatchPushgatewayHealthIndicator(Supplier<Map<String, Map<PushGroup, Instant>>> failingByTarget,
			List<String> targets, boolean downWhenUndelivered) {
		super("Pushgateway delivery health check failed");
		Assert.notNull(failingByTarget, "'failingByTarget' must not be null");
		Assert.notEmpty(targets, "'targets' must not be empty");
		this.failingByTarget = failingByTarget;
		this.targets = List.copyOf(targets);
		this.downWhenUndelivered = downWhenUndelivered;
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
		builder.up().withDetail("target", String.join(", ", this.targets));
		if (failing.isEmpty()) {
			builder.withDetail("delivery", "delivered");
			return;
		}
		// Failing at every target: since the last of them began to fail. At some only: since the
		// first did.
		Map<PushGroup, Instant> failingAnywhere = merged(failing, (a, b) -> a.isBefore(b) ? a : b);
		Map<PushGroup, Instant> latest = merged(failing, (a, b) -> a.isAfter(b) ? a : b);
		Map<PushGroup, Instant> undelivered = new LinkedHashMap<>();
		Map<PushGroup, Instant> partlyDelivered = new LinkedHashMap<>();
		failingAnywhere.forEach((group, since) -> {
			if (failingAtEveryTarget(failing, group)) {
				undelivered.put(group, latest.get(group));
			}
			else {
				partlyDelivered.put(group, since);
			}
		});
		builder.withDetail("delivery", undelivered.isEmpty() ? "partial" : "undelivered");
		if (!undelivered.isEmpty()) {
			builder.withDetail("undeliveredGroups", describe(undelivered));
			if (this.downWhenUndelivered) {
				builder.down();
			}
		}
		if (!partlyDelivered.isEmpty()) {
			builder.withDetail("partlyDeliveredGroups", describe(partlyDelivered));
		}
		if (this.targets.size() > 1) {
			Map<String, Map<String, String>> byTarget = new LinkedHashMap<>();
			failing.forEach((target, groups) -> byTarget.put(target, describe(groups)));
			builder.withDetail("failingTargets", byTarget);
		}
	}

	private boolean failingAtEveryTarget(Map<String, Map<PushGroup, Instant>> failing, PushGroup group) {
		return this.targets.stream().allMatch((target) -> failing.getOrDefault(target, Map.of()).containsKey(group));
	}

	private static Map<PushGroup, Instant> merged(Map<String, Map<PushGroup, Instant>> failing,
			BinaryOperator<Instant> pick) {
		Map<PushGroup, Instant> merged = new LinkedHashMap<>();
		failing.values().forEach((groups) -> groups.forEach((group, since) -> merged.merge(group, since, pick)));
		return merged;
	}

	private static Map<String, String> describe(Map<PushGroup, Instant> groups) {
		Map<String, String> described = new LinkedHashMap<>();
		groups.forEach((group, since) -> described.put(group.toString(), since.toString()));
		return described;
	}

}
