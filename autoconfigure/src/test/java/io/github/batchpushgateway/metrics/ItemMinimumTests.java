package io.github.batchpushgateway.metrics;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ItemMinimum}.
 */
class ItemMinimumTests {

	@Test
	void aRunBelowTheJobsMinimumInReadAndInWrittenItemsIsUnmet() {
		ItemMinimum minimum = new ItemMinimum(10, Map.of());

		assertThat(minimum.isUnmetBy(List.of(step("load", 5, 5), step("export", 5, 5)))).isFalse();
		assertThat(minimum.isUnmetBy(List.of(step("load", 4, 4), step("export", 5, 0)))).isTrue();
		assertThat(minimum.isUnmetBy(List.of())).isTrue();
	}

	@Test
	void itemsReadOrWrittenEitherMeetTheMinimum() {
		ItemMinimum minimum = new ItemMinimum(10, Map.of());

		// every item read was filtered out: the run still read them
		assertThat(minimum.isUnmetBy(List.of(step("load", 10, 0)))).isFalse();
		// a writer fed by a tasklet's own query
		assertThat(minimum.isUnmetBy(List.of(step("load", 0, 10)))).isFalse();
	}

	@Test
	void aNamedStepBelowItsOwnMinimumIsUnmetWhateverTheJobsTotal() {
		ItemMinimum minimum = new ItemMinimum(0, Map.of("export", 1L));

		assertThat(minimum.isUnmetBy(List.of(step("load", 500, 500), step("export", 0, 0)))).isTrue();
		assertThat(minimum.isUnmetBy(List.of(step("load", 500, 500)))).as("export did not run").isTrue();
		assertThat(minimum.isUnmetBy(List.of(step("load", 0, 0), step("export", 1, 1)))).isFalse();
	}

	@Test
	void onlyAMinimumAbove0IsChecked() {
		assertThat(new ItemMinimum(0, Map.of()).isChecked()).isFalse();
		assertThat(new ItemMinimum(0, Map.of("export", 0L)).isChecked()).isFalse();
		assertThat(new ItemMinimum(0, Map.of("export", 2L)).isChecked()).isTrue();
		assertThat(new ItemMinimum(1, Map.of()).isChecked()).isTrue();
	}

	@Test
	void aNegativeMinimumIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ItemMinimum(-1, Map.of()));
		assertThatIllegalArgumentException().isThrownBy(() -> new ItemMinimum(0, Map.of("export", -1L)))
			.withMessageContaining("export");
	}

	private static StepSample step(String name, long read, long written) {
		return new StepSample(1, name, BatchStatus.COMPLETED, null, null, null, read, written, 0, 0, 0, 0, 0, 0);
	}

}
