package io.github.batchpushgateway.batch;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JobNameFilter}.
 */
class JobNameFilterTests {

	@Test
	void wildcardIncludesEveryJob() {
		JobNameFilter filter = new JobNameFilter(List.of("*"), List.of());

		assertThat(filter.matches("importJob")).isTrue();
		assertThat(filter.matches("")).isTrue();
	}

	@Test
	void onlyJobsMatchingAnIncludePatternPush() {
		JobNameFilter filter = new JobNameFilter(List.of("gdpr*", "billing"), List.of());

		assertThat(filter.matches("gdprPurge")).isTrue();
		assertThat(filter.matches("billing")).isTrue();
		assertThat(filter.matches("billingReport")).isFalse();
		assertThat(filter.matches("importJob")).isFalse();
	}

	@Test
	void excludeWinsOverInclude() {
		JobNameFilter filter = new JobNameFilter(List.of("*"), List.of("*Test", "scratch"));

		assertThat(filter.matches("importJob")).isTrue();
		assertThat(filter.matches("importTest")).isFalse();
		assertThat(filter.matches("scratch")).isFalse();
	}

	@Test
	void noIncludePatternIncludesNothing() {
		JobNameFilter filter = new JobNameFilter(List.of(), List.of());

		assertThat(filter.matches("importJob")).isFalse();
	}

}
