package io.github.batchpushgateway.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.batchpushgateway.testsupport.Amtool;
import io.github.batchpushgateway.testsupport.ToolResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped {@code deploy/alertmanager/alertmanager.yml}, checked by amtool and against the
 * labels the alert rules set. {@link GatewayOutageAlertingTests} proves its inhibition at run time.
 */
class AlertmanagerConfigTests {

	private final Map<String, Object> config = Yaml.read(DeployFiles.alertmanagerConfig());

	@Test
	void amtoolAcceptsTheConfiguration() {
		// when
		ToolResult result = Amtool.checkConfig(DeployFiles.alertmanagerConfig());

		// then
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("SUCCESS");
	}

	@Test
	void everySeverityTheRulesUseHasItsOwnRoute() {
		// given
		Set<String> severities = AlertRule.readAll()
			.stream()
			.map((rule) -> rule.labels().get("severity"))
			.collect(Collectors.toSet());

		// then
		assertThat(routeMatchers()).containsAll(severities.stream().map((severity) -> "severity=\"" + severity + "\"").toList());
	}

	@Test
	void everyTeamTheRulesNameHasItsOwnRoute() {
		// given
		Set<String> teams = AlertRule.readAll()
			.stream()
			.map((rule) -> rule.labels().get("team"))
			.filter((team) -> team != null)
			.collect(Collectors.toSet());

		// then
		assertThat(routeMatchers()).containsAll(teams.stream().map((team) -> "team=\"" + team + "\"").toList());
	}

	@Test
	void theGatewayAlertInhibitsEveryPerJobAlertButNotItself() {
		// given
		Map<String, Object> gatewayRule = inhibitRules().stream()
			.filter((rule) -> Yaml.list(rule.get("source_matchers")).contains("alertname=\"PushgatewayDown\""))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No inhibit rule with PushgatewayDown as its source"));

		// then
		assertThat(Yaml.list(gatewayRule.get("target_matchers"))).containsExactly("metrics_source=\"pushgateway\"");
		// Only when no gateway is up: while one of two is down, the other holds every job's state and
		// the per-job alerts are true (the rules read the freshest copy), so they must still be sent.
		assertThat(Yaml.list(gatewayRule.get("source_matchers"))).contains("severity=\"critical\"");
		assertThat(AlertRule.readAll()).filteredOn((rule) -> rule.name().equals("PushgatewayDown"))
			.extracting((rule) -> rule.labels().get("severity"))
			.containsExactlyInAnyOrder("critical", "warning");
		assertThat(AlertRule.readAll()).filteredOn((rule) -> rule.name().equals("PushgatewayDown"))
			.isNotEmpty()
			.allSatisfy((rule) -> assertThat(rule.labels()).doesNotContainKey("metrics_source"));
	}

	private List<String> routeMatchers() {
		List<String> matchers = new ArrayList<>();
		for (Object route : Yaml.list(Yaml.map(this.config.get("route")).get("routes"))) {
			for (Object matcher : Yaml.list(Yaml.map(route).get("matchers"))) {
				matchers.add(String.valueOf(matcher));
			}
		}
		return matchers;
	}

	private List<Map<String, Object>> inhibitRules() {
		return Yaml.list(this.config.get("inhibit_rules")).stream().map(Yaml::map).toList();
	}

}
