package io.github.batchpushgateway.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.batchpushgateway.testsupport.Promtool;
import io.github.batchpushgateway.testsupport.ToolResult;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scripts/render-rules --pushgateway-job NAME}: the rules of {@code deploy/prometheus/rules/}
 * rendered for a Prometheus that scrapes the Pushgateway under another job name still pass
 * promtool, and their unit tests, rendered alike, still pass.
 */
class RulesRenderingTests {

	private static final Pattern JOB_SELECTOR = Pattern.compile("job=\"([^\"]*)\"");

	@TempDir
	Path directory;

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "prometheus-pushgateway", "monitoring/pushgateway" })
	void rulesRenderedForAnotherScrapeJobAndOtherLinksPassPromtoolAndTheirUnitTests(String pushgatewayJob) {
		// when
		RenderRules.run("--pushgateway-job", pushgatewayJob, "--runbook-base-url", "https://wiki.example.com/ops/runbooks/",
				"--grafana-url", "https://grafana.example.com", "--output", this.directory.toString());
		List<Path> ruleFiles = files(".yml");
		List<Path> testFiles = files("tests", ".test.yml");

		// then
		assertThat(ruleFiles).extracting(Path::getFileName)
			.containsExactlyElementsOf(DeployFiles.ruleFiles().stream().map(Path::getFileName).toList());
		assertThat(testFiles).hasSameSizeAs(DeployFiles.ruleTestFiles());
		ToolResult check = Promtool.checkRules(ruleFiles.toArray(Path[]::new));
		assertThat(check.exitCode()).as(check.output()).isZero();
		assertThat(check.output()).doesNotContain("WARNING");
		ToolResult test = Promtool.testRules(testFiles.toArray(Path[]::new));
		assertThat(test.exitCode()).as(test.output()).isZero();
		assertThat(test.output()).doesNotContain("FAILED");
		assertThat(AlertRule.readAll(ruleFiles)).isNotEmpty().allSatisfy((rule) -> {
			assertThat(rule.annotations().get("runbook_url")).startsWith("https://wiki.example.com/ops/runbooks/");
			assertThat(rule.annotations().get("dashboard_url")).startsWith("https://grafana.example.com/d/");
		});
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "prometheus-pushgateway", "monitoring/pushgateway" })
	void everyGatewaySelectorOfTheRenderedRulesNamesTheGivenScrapeJob(String pushgatewayJob) {
		// when
		RenderRules.run("--pushgateway-job", pushgatewayJob, "--output", this.directory.toString());
		List<AlertRule> rendered = AlertRule.readAll(files(".yml"));

		// then
		List<AlertRule> source = AlertRule.readAll();
		assertThat(rendered).extracting(AlertRule::name)
			.containsExactlyElementsOf(source.stream().map(AlertRule::name).toList());
		assertThat(rendered.stream().map(AlertRule::expr).flatMap(RulesRenderingTests::jobSelectors))
			.as("job selectors of the rendered rules")
			.isNotEmpty()
			.containsOnly(pushgatewayJob);
		assertThat(rendered).filteredOn((rule) -> rule.name().equals("PushgatewayDown"))
			.isNotEmpty()
			.allSatisfy((rule) -> assertThat(rule.expr()).contains("up{job=\"" + pushgatewayJob + "\"} == 0"));
		for (int i = 0; i < source.size(); i++) {
			// Nothing else changes: the same expression once the job name is put back.
			assertThat(rendered.get(i).expr().replace("job=\"" + pushgatewayJob + "\"", "job=\"pushgateway\""))
				.as(source.get(i).name())
				.isEqualTo(source.get(i).expr());
		}
	}

	private static Stream<String> jobSelectors(String expr) {
		Matcher matcher = JOB_SELECTOR.matcher(expr);
		return matcher.results().map((result) -> result.group(1));
	}

	private List<Path> files(String suffix) {
		return files("", suffix);
	}

	private List<Path> files(String subdirectory, String suffix) {
		try (Stream<Path> files = Files.list(this.directory.resolve(subdirectory))) {
			return files.filter((file) -> file.getFileName().toString().endsWith(suffix)).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not list " + this.directory, ex);
		}
	}

}
