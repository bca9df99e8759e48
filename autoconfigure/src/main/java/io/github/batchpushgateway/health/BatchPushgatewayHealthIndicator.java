package io.github.batchpushgateway.health;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.github.batchpushgateway.push.PushGroup;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.util.Assert;

/**
 * Health of the delivery of job state to the target: {@code UP} while pushes succeed (or none
 * has been needed yet), {@code DOWN} while the last attempt of any group failed, with the target's
 * address and, per undelivered group, since when its pushes fail. Credentials appear nowhere: the
 * address never holds any (startup refuses it) and groups are job names and grouping labels.
 *
 * <p>A failing gateway is no reason to restart the application: keep this contributor out of
 * liveness probes (Spring Boot's probe groups leave it out unless told otherwise).
 */
public final class BatchPushgatewayHealthIndicator extends AbstractHealthIndicator {

	private final Supplier<Map<PushGroup, Instant>> failingGroups;

	private final String target;

	/**
	 * Creates an indicator.
	 * @param failingGroups the groups whose last push failed, each with since when
	 * @param target the target's description, without credentials
	 */
	public BatchPushgatewayHealthIndicator(Supplier<Map<PushGroup, Instant>> failingGroups, String target) {
		super("Pushgateway delivery health check failed");
		Assert.notNull(failingGroups, "'failingGroups' must not be null");
		Assert.notNull(target, "'target' must not be null");
		this.failingGroups = failingGroups;
		this.target = target;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Map<PushGroup, Instant> failing = this.failingGroups.get();
		builder.withDetail("target", this.target);
		if (failing.isEmpty()) {
			builder.up();
			return;
		}
		Map<String, String> undelivered = new LinkedHashMap<>();
		failing.forEach((group, since) -> undelivered.put(group.toString(), since.toString()));
		builder.down().withDetail("undeliveredGroups", undelivered);
	}

}
