package io.github.batchpushgateway.testsupport;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ScrapedMetricsTests {

	private static final String EXPOSITION = """
			# HELP batch_job_status Status of the last execution.
			# TYPE batch_job_status gauge
			batch_job_status{job="import",status="COMPLETED"} 1
			batch_job_status{job="import",status="FAILED"} 0
			batch_job_status{job="export",status="COMPLETED"} 0
			# TYPE tricky gauge
			tricky{path="C:\\\\temp",quote="say \\"hi\\"",lines="a\\nb",} NaN
			infinite{le="+Inf"} +Inf
			negative -Inf 1700000000000
			scientific 1.5e3

			""";

	private final ScrapedMetrics metrics = ScrapedMetrics.parse(EXPOSITION);

	@Test
	void unescapesBackslashesQuotesAndNewlinesInLabelValues() {
		// when
		var tricky = this.metrics.samples("tricky");

		// then
		assertThat(tricky).singleElement().satisfies((sample) -> {
			assertThat(sample.labels()).containsExactly(Map.entry("path", "C:\\temp"),
					Map.entry("quote", "say \"hi\""), Map.entry("lines", "a\nb"));
			assertThat(sample.value()).isNaN();
		});
	}

	@Test
	void readsSpecialValuesAndIgnoresTimestamps() {
		assertThat(this.metrics.require("infinite", Map.of("le", "+Inf"))).isEqualTo(Double.POSITIVE_INFINITY);
		assertThat(this.metrics.require("negative", Map.of())).isEqualTo(Double.NEGATIVE_INFINITY);
		assertThat(this.metrics.require("scientific", Map.of())).isEqualTo(1500.0);
	}

	@Test
	void skipsCommentsAndListsSampleNames() {
		assertThat(this.metrics.names()).containsExactly("batch_job_status", "infinite", "negative", "scientific",
				"tricky");
		assertThat(this.metrics.samples()).hasSize(7);
	}

	@Test
	void valueSelectsTheSeriesWhoseLabelsContainTheSubset() {
		assertThat(this.metrics.value("batch_job_status", Map.of("job", "import", "status", "COMPLETED")))
			.hasValue(1.0);
		assertThat(this.metrics.value("batch_job_status", Map.of("job", "import", "status", "STOPPED"))).isEmpty();
	}

	@Test
	void valueRefusesAnAmbiguousSubset() {
		assertThatIllegalStateException()
			.isThrownBy(() -> this.metrics.value("batch_job_status", Map.of("job", "import")))
			.withMessageContaining("2 series of batch_job_status");
	}

	@Test
	void requireListsTheAvailableSeriesWhenNoneMatches() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.metrics.require("batch_job_status", Map.of("job", "missing")))
			.withMessageContaining("batch_job_status{job=\"export\",status=\"COMPLETED\"} 0.0");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.metrics.require("batch_job_running", Map.of()))
			.withMessageContaining("No metric batch_job_running")
			.withMessageContaining("batch_job_status");
	}

	@Test
	void rejectsMalformedLinesNamingThem() {
		assertThatIllegalArgumentException().isThrownBy(() -> ScrapedMetrics.parse("ok 1\nbroken{job=\"x} 1\n"))
			.withMessageContaining("line 2");
		assertThatIllegalArgumentException().isThrownBy(() -> ScrapedMetrics.parse("novalue\n"))
			.withMessageContaining("line 1");
	}

}
