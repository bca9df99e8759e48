package io.github.batchpushgateway.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.github.batchpushgateway.testsupport.Promtool;
import io.github.batchpushgateway.testsupport.ToolResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy/prometheus/rules/declared-jobs.yml}, the file users edit to declare the jobs that
 * must exist: declared as its own comment shows, a job that no gateway holds raises
 * {@code BatchJobNeverPushed} with the declaration's labels, and one that pushes does not.
 */
class DeclaredJobsTests {

	/** Where the file's example starts: the rules of a group, commented out. */
	private static final String EXAMPLE_START = "#     rules:";

	@TempDir
	Path directory;

	@Test
	void jobsDeclaredAsTheFileShowsRaiseNeverPushedUntilTheyPush() throws IOException {
		// given the shipped file with its example in place of its empty rules
		Path declared = DeployFiles.ruleDirectory().resolve("declared-jobs.yml");
		String shipped = Files.readString(declared, StandardCharsets.UTF_8);
		assertThat(shipped).contains("    rules: []");
		Files.writeString(this.directory.resolve("declared-jobs.yml"), shipped.replace("    rules: []", example(shipped)),
				StandardCharsets.UTF_8);
		Files.copy(DeployFiles.ruleDirectory().resolve("batch-jobs.yml"), this.directory.resolve("batch-jobs.yml"));
		// gdprErasureJob never pushes; invoiceExportJob pushes under a grouping label
		Path test = this.directory.resolve("declared.test.yml");
		Files.writeString(test, """
				rule_files: [declared-jobs.yml, batch-jobs.yml]
				evaluation_interval: 1m
				tests:
				  - interval: 1m
				    input_series:
				      - series: 'batch_job_status{job="invoiceExportJob",service="shop",status="COMPLETED"}'
				        values: '1x120'
				    promql_expr_test:
				      - expr: batch:declared_job
				        eval_time: 1m
				        exp_samples:
				          - labels: 'batch:declared_job{job="gdprErasureJob"}'
				            value: 1
				          - labels: 'batch:declared_job{job="invoiceExportJob",team="billing"}'
				            value: 1
				      - expr: ALERTS{alertname="BatchJobNeverPushed",alertstate="firing"}
				        eval_time: 90m
				        exp_samples:
				          - labels: 'ALERTS{alertname="BatchJobNeverPushed",alertstate="firing",job="gdprErasureJob",severity="warning",metrics_source="pushgateway"}'
				            value: 1
				""", StandardCharsets.UTF_8);

		// when
		ToolResult result = Promtool.testRules(test);

		// then
		assertThat(result.exitCode()).as(result.output()).isZero();
	}

	/** The example's lines, uncommented: "#     rules:" becomes "    rules:", under the group. */
	private static String example(String shipped) {
		List<String> lines = new ArrayList<>();
		boolean inExample = false;
		for (String line : shipped.lines().toList()) {
			inExample = inExample || line.equals(EXAMPLE_START);
			if (inExample && !line.startsWith("#     ")) {
				break;
			}
			if (inExample) {
				lines.add(line.substring(2));
			}
		}
		assertThat(lines).as("the example in %s", shipped).hasSizeGreaterThan(1);
		return String.join("\n", lines);
	}

}
