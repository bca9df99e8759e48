package io.github.batchpushgateway.metrics;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link StartSchedule}.
 */
class StartScheduleTests {

	@Test
	void theNextStartIsReadInTheScheduleTimeZone() {
		StartSchedule nightly = new StartSchedule("0 30 2 * * *", ZoneId.of("Europe/Berlin"), Duration.ofHours(1));

		// 2026-01-15T12:00Z: the next 02:30 in Berlin (UTC+1 in winter) is 01:30 UTC the next day
		assertThat(nightly.nextStart(Instant.parse("2026-01-15T12:00:00Z"))).isEqualTo("2026-01-16T01:30:00Z");
		// in summer Berlin is UTC+2
		assertThat(nightly.nextStart(Instant.parse("2026-07-15T12:00:00Z"))).isEqualTo("2026-07-16T00:30:00Z");
	}

	@Test
	void aStartExactlyAtTheExpectedTimeExpectsTheFollowingOne() {
		StartSchedule daily = new StartSchedule("@daily", ZoneId.of("UTC"), Duration.ZERO);

		assertThat(daily.nextStart(Instant.parse("2026-01-15T00:00:00Z"))).isEqualTo("2026-01-16T00:00:00Z");
	}

	@Test
	void rejectsAnExpressionThatIsNotSpringCron() {
		// five fields, as crontab and Kubernetes write it: Spring's has six, seconds first
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new StartSchedule("30 2 * * *", ZoneId.of("UTC"), Duration.ofHours(1)))
			.withMessageContaining("30 2 * * *");
	}

}
