package io.github.batchpushgateway.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ToolsTests {

	@TempDir
	Path directory;

	@Test
	void promtoolPassesAWellFormedExposition() {
		// when
		ToolResult result = Promtool.checkMetrics("""
				# HELP batch_step_read_items_total Items read by the step.
				# TYPE batch_step_read_items_total counter
				batch_step_read_items_total{step="load"} 3
				""");

		// then
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).isBlank();
	}

	@Test
	void promtoolFlagsACounterWithoutHelpOrTotalSuffix() {
		// when
		ToolResult result = Promtool.checkMetrics("""
				# TYPE batch_step_read_items counter
				batch_step_read_items{step="load"} 3
				""");

		// then
		assertThat(result.isSuccess()).isFalse();
		assertThat(result.output()).contains("no help text").contains("\"_total\" suffix");
	}

	@Test
	void promtoolChecksRuleFiles() throws Exception {
		// given
		Path good = Files.writeString(this.directory.resolve("good.yml"), """
				groups:
				  - name: batch
				    rules:
				      - alert: BatchJobFailed
				        expr: batch_job_status{status="FAILED"} == 1
				""");
		Path bad = Files.writeString(this.directory.resolve("bad.yml"), """
				groups:
				  - name: batch
				    rules:
				      - alert: BatchJobFailed
				        expr: batch_job_status{status=
				""");

		// when / then
		assertThat(Promtool.checkRules(good).exitCode()).isZero();
		ToolResult badResult = Promtool.checkRules(bad);
		assertThat(badResult.exitCode()).isNotZero();
		assertThat(badResult.output()).contains("bad.yml");
	}

	@Test
	void alertmanagerStartsAndAmtoolChecksItsConfiguration() throws Exception {
		// given
		Path config = Files.writeString(this.directory.resolve("alertmanager.yml"), """
				route:
				  receiver: tests
				receivers:
				  - name: tests
				""");

		// when
		ToolResult check = Amtool.checkConfig(config);
		try (AlertmanagerServer alertmanager = AlertmanagerServer.start(config)) {

			// then
			assertThat(check.exitCode()).as(check.output()).isZero();
			assertThat(alertmanager.getJson("/api/v2/alerts?active=true&inhibited=true&silenced=false"))
				.isEqualToIgnoringWhitespace("[]");
			assertThat(alertmanager.getJson("/api/v2/status")).contains("\"cluster\"");
		}
	}

}
