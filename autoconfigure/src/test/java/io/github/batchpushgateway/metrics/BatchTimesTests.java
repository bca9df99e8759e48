package io.github.batchpushgateway.metrics;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.TimeZone;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BatchTimes}.
 */
class BatchTimesTests {

	@Test
	void localTimeIsTakenInTheJvmsZone() {
		TimeZone previous = TimeZone.getDefault();
		TimeZone.setDefault(TimeZone.getTimeZone("Europe/Paris"));
		try {
			// Summer time in Paris: UTC+2
			assertThat(BatchTimes.toInstant(LocalDateTime.of(2026, 7, 1, 12, 0)))
				.isEqualTo(Instant.parse("2026-07-01T10:00:00Z"));
			// Winter time: UTC+1
			assertThat(BatchTimes.toInstant(LocalDateTime.of(2026, 1, 1, 12, 0)))
				.isEqualTo(Instant.parse("2026-01-01T11:00:00Z"));
		}
		finally {
			TimeZone.setDefault(previous);
		}
	}

	@Test
	void nowIsNow() {
		Instant before = Instant.now();
		Instant converted = BatchTimes.toInstant(LocalDateTime.now(ZoneId.systemDefault()));
		Instant after = Instant.now();

		assertThat(converted).isBetween(before.minusMillis(1), after.plusMillis(1));
	}

}
