package io.github.batchpushgateway.push;

import java.io.StringReader;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ExposedSamples}.
 */
class ExposedSamplesTests {

	private static final String GATEWAY = """
			# HELP batch_job_last_success_timestamp_seconds End of the last COMPLETED execution.
			# TYPE batch_job_last_success_timestamp_seconds gauge
			batch_job_last_success_timestamp_seconds{instance="",job="importJob"} 1.7e+09
			batch_job_last_success_timestamp_seconds{instance="",job="importJob",region="eu"} 1.6e+09
			batch_job_last_success_timestamp_seconds{instance="",job="other \\"quoted\\""} 1.5e+09
			batch_job_last_failure_timestamp_seconds{instance="",job="importJob"} 1.69999999925e+09
			batch_job_last_success_timestamp_secondsX{job="importJob"} 9
			push_time_seconds{instance="",job="importJob"} 1.8e+09
			""";

	@Test
	void readsTheOutcomesOfExactlyTheGroup() throws Exception {
		GroupOutcomes outcomes = ExposedSamples.outcomesOf(PushGroup.of("importJob"), new StringReader(GATEWAY));

		assertThat(outcomes.lastSuccess()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
		assertThat(outcomes.lastFailure()).isEqualTo(Instant.ofEpochSecond(1_699_999_999L, 250_000_000));
	}

	@Test
	void groupingLabelsAndEscapedValuesMustMatch() throws Exception {
		assertThat(ExposedSamples.outcomesOf(new PushGroup("importJob", Map.of("region", "eu")),
				new StringReader(GATEWAY)).lastSuccess()).isEqualTo(Instant.ofEpochSecond(1_600_000_000L));
		assertThat(ExposedSamples.outcomesOf(PushGroup.of("other \"quoted\""), new StringReader(GATEWAY))
			.lastSuccess()).isEqualTo(Instant.ofEpochSecond(1_500_000_000L));
	}

	@Test
	void aGroupTheTargetDoesNotHoldHasNoOutcomes() throws Exception {
		assertThat(ExposedSamples.outcomesOf(PushGroup.of("unknown"), new StringReader(GATEWAY)))
			.isEqualTo(GroupOutcomes.NONE);
	}

	@Test
	void theGroupsOfAGatewayAreTheLabelsOfItsPushTimes() throws Exception {
		String gateway = GATEWAY + """
				push_failure_time_seconds{instance="",job="failingJob"} 0
				push_time_seconds{instance="",job="importJob",region="eu"} 1.8e+09
				push_time_seconds{instance="host-1",job="hostJob"} 1.8e+09
				""";

		assertThat(ExposedSamples.groupsOf(new StringReader(gateway))).containsExactlyInAnyOrder(
				PushGroup.of("importJob"), new PushGroup("importJob", Map.of("region", "eu")),
				new PushGroup("hostJob", Map.of("instance", "host-1")));
	}

}
