package io.github.batchpushgateway.push;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TextfileClient}.
 */
class TextfileClientTests {

	@TempDir
	Path directory;

	@Test
	void writesTheGroupsStateWithItsLabelsInEverySampleAndNoTemporaryFileLeft() throws Exception {
		TextfileClient client = new TextfileClient(this.directory);
		PushGroup group = new PushGroup("clean \"tmp\"", Map.of("host", "web-1"));

		client.push(group, state(1_700_000_000));

		try (var files = Files.list(this.directory)) {
			assertThat(files).singleElement().satisfies((file) -> assertThat(file.toString()).endsWith(".prom"));
		}
		String text = Files.readString(client.fileOf(group));
		assertThat(text).contains(
				"batch_job_last_success_timestamp_seconds{job=\"clean \\\"tmp\\\"\",host=\"web-1\"} 1.7E9",
				"batch_step_read_items_total{job=\"clean \\\"tmp\\\"\",host=\"web-1\",step=\"purge\"} 12.0",
				"# TYPE batch_step_read_items_total counter");
	}

	@Test
	void readsTheOutcomesBackFromTheGroupsOwnFile() throws Exception {
		TextfileClient client = new TextfileClient(this.directory);
		PushGroup group = PushGroup.of("cleanup");
		client.push(group, state(1_700_000_000));
		client.push(PushGroup.of("other"), state(1_800_000_000));

		assertThat(client.readOutcomes(group).lastSuccess()).isEqualTo(Instant.ofEpochSecond(1_700_000_000));
		assertThat(client.readOutcomes(PushGroup.of("never"))).isEqualTo(GroupOutcomes.NONE);
	}

	@Test
	void groupsWhoseNamesOnlyDifferInUnsafeCharactersGetFilesOfTheirOwn() {
		TextfileClient client = new TextfileClient(this.directory);

		Path slash = client.fileOf(PushGroup.of("a/b"));
		Path underscore = client.fileOf(PushGroup.of("a_b"));
		Path dots = client.fileOf(PushGroup.of(".."));

		assertThat(slash).isNotEqualTo(underscore);
		assertThat(slash.getParent()).isEqualTo(this.directory);
		assertThat(dots.getParent()).isEqualTo(this.directory);
		assertThat(slash.getFileName().toString()).matches("batch_a_b_[0-9a-f]{8}\\.prom");
	}

	private static MetricSnapshots state(double lastSuccess) {
		return new MetricSnapshots(
				GaugeSnapshot.builder()
					.name("batch_job_last_success_timestamp_seconds")
					.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(lastSuccess).build())
					.build(),
				CounterSnapshot.builder()
					.name("batch_step_read_items")
					.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
						.labels(Labels.of("step", "purge"))
						.value(12)
						.build())
					.build());
	}

}
