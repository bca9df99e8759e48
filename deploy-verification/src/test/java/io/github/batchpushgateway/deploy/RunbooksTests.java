package io.github.batchpushgateway.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every alert of {@code deploy/prometheus/rules/} links a runbook section of
 * {@code deploy/runbooks/} that says what it means, what to check first and what to do for a
 * retired job, and a shipped Grafana dashboard with variables it has. Alerts added later are
 * covered as they come: the test reads the rules, not a list.
 */
class RunbooksTests {

	/** Where the source rules say the runbooks are published; scripts/render-rules changes it. */
	static final String RUNBOOK_BASE_URL = "https://github.com/batchpushgateway/batch-pushgateway/blob/main/deploy/runbooks/";

	/** The Grafana of deploy/docker-compose.yml; scripts/render-rules changes it. */
	static final String GRAFANA_URL = "http://localhost:3000";

	private static final Pattern RUNBOOK_URL = Pattern
		.compile(Pattern.quote(RUNBOOK_BASE_URL) + "([a-z0-9-]+\\.md)#([a-z0-9-]+)");

	private static final Pattern DASHBOARD_URL = Pattern
		.compile(Pattern.quote(GRAFANA_URL) + "/d/([a-z0-9-]+)(?:\\?(.*))?");

	private static final List<String> PARTS = List.of("**What it means.**", "**Check first.**", "**Retired job.**");

	static Stream<AlertRule> alertRules() {
		return AlertRule.readAll().stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("alertRules")
	void alertLinksItsRunbookSectionWhichSaysWhatItMeansWhatToCheckAndWhatToDoForARetiredJob(AlertRule rule) {
		// given
		Matcher matcher = link(rule, "runbook_url", RUNBOOK_URL);
		Path runbook = runbooks().resolve(matcher.group(1));
		assertThat(runbook).as(rule.name()).isRegularFile();

		// when
		Map<String, String> sections = sections(runbook);

		// then
		assertThat(sections).as("%s: sections of %s by anchor", rule.name(), runbook.getFileName())
			.containsKey(matcher.group(2));
		String section = sections.get(matcher.group(2));
		assertThat(section).as(rule.name()).startsWith("## " + rule.name() + "\n");
		assertThat(section).as(rule.name()).contains(PARTS);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("alertRules")
	void alertLinksAShippedDashboardWithVariablesItHas(AlertRule rule) {
		// given
		Matcher matcher = link(rule, "dashboard_url", DASHBOARD_URL);

		// then
		Dashboard dashboard = Dashboard.readAll()
			.stream()
			.filter((candidate) -> matcher.group(1).equals(candidate.uid()))
			.findFirst()
			.orElseThrow(() -> new AssertionError(rule.name() + ": no dashboard with uid " + matcher.group(1)));
		if (matcher.group(2) != null) {
			for (String parameter : matcher.group(2).split("&")) {
				assertThat(parameter).as(rule.name()).startsWith("var-");
				dashboard.variable(parameter.substring(4, parameter.indexOf('=')));
				// The value is a label of the alert, filled in by Prometheus.
				assertThat(parameter.substring(parameter.indexOf('=') + 1)).as(rule.name())
					.matches("\\{\\{ \\$labels\\.\\w+ \\}\\}");
			}
		}
	}

	@Test
	void everyRunbookSectionBelongsToAnAlert() throws IOException {
		// given
		Set<String> alertNames = new HashSet<>();
		AlertRule.readAll().forEach((rule) -> alertNames.add(rule.name()));

		// then
		for (Path runbook : runbookFiles()) {
			for (String section : sections(runbook).values()) {
				String heading = section.lines().findFirst().orElseThrow().substring(3);
				assertThat(alertNames).as("alert of the section %s in %s", heading, runbook.getFileName())
					.contains(heading);
			}
		}
	}

	@Test
	void howToRetireAJobIsDocumented() {
		assertThat(sections(runbooks().resolve("README.md"))).containsKey("retiring-a-job");
		assertThat(sections(runbooks().resolve("README.md")).get("retiring-a-job")).contains("curl -X DELETE",
				"amtool silence add alertname=BatchJobMetricsVanished");
	}

	/** The alert's link annotation, matched against the form it must have. */
	private static Matcher link(AlertRule rule, String annotation, Pattern form) {
		String url = rule.annotations().get(annotation);
		assertThat(url).as("%s: %s", rule.name(), annotation).isNotNull();
		Matcher matcher = form.matcher(url);
		assertThat(matcher.matches()).as("%s: %s", rule.name(), url).isTrue();
		return matcher;
	}

	private static Path runbooks() {
		return DeployFiles.root().resolve("runbooks");
	}

	private static List<Path> runbookFiles() throws IOException {
		try (Stream<Path> files = Files.list(runbooks())) {
			return files.filter((file) -> file.toString().endsWith(".md"))
				.filter((file) -> !file.getFileName().toString().equals("README.md"))
				.sorted()
				.toList();
		}
	}

	/**
	 * Returns the level-two sections of a Markdown file by the anchor GitHub gives their heading.
	 */
	private static Map<String, String> sections(Path file) {
		try {
			Map<String, String> sections = new LinkedHashMap<>();
			String[] parts = Files.readString(file, StandardCharsets.UTF_8).split("(?m)^(?=## )");
			for (String part : parts) {
				if (part.startsWith("## ")) {
					String heading = part.lines().findFirst().orElseThrow().substring(3);
					sections.put(anchor(heading), part);
				}
			}
			return sections;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + file, ex);
		}
	}

	/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
	private static String anchor(String heading) {
		return heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
	}

}
