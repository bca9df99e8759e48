package io.github.batchpushgateway.deploy;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboards and provisioning files of {@code deploy/grafana/}: consistent with each
 * other, so that Grafana loads the dashboards onto the provisioned data source.
 * {@link DashboardQueriesTests} runs their queries.
 */
class DashboardStructureTests {

	private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)");

	private static final Set<String> BUILT_IN_VARIABLES = Set.of("__rate_interval", "__interval", "__range",
			"__range_s", "__interval_ms");

	private static final Map<String, Object> datasources = Yaml
		.read(DeployFiles.grafanaDirectory().resolve("provisioning/datasources/prometheus.yml"));

	private static final Map<String, Object> providers = Yaml
		.read(DeployFiles.grafanaDirectory().resolve("provisioning/dashboards/dashboards.yml"));

	static List<Dashboard> dashboards() {
		return Dashboard.readAll();
	}

	@Test
	void theProvisionedDataSourceIsPrometheusWithAFixedUid() {
		assertThat(provisionedDatasource()).containsEntry("type", "prometheus")
			.containsEntry("uid", "prometheus")
			.containsKey("url");
	}

	@Test
	void theDashboardProviderLoadsTheDirectoryTheDashboardsAreMountedAt() {
		Map<String, Object> provider = Yaml.map(Yaml.list(providers.get("providers")).get(0));
		assertThat(provider).containsEntry("type", "file");
		assertThat(Yaml.map(provider.get("options"))).containsEntry("path", "/var/lib/grafana/dashboards");
	}

	@Test
	void dashboardsHaveUniqueUidsAndTitles() {
		assertThat(dashboards()).extracting(Dashboard::uid).doesNotHaveDuplicates().doesNotContainNull();
		assertThat(dashboards()).extracting(Dashboard::title).doesNotHaveDuplicates().doesNotContainNull();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dashboards")
	void theDatasourceVariableDefaultsToTheProvisionedDataSource(Dashboard dashboard) {
		Map<String, Object> variable = dashboard.variable("datasource");
		assertThat(variable).containsEntry("type", "datasource").containsEntry("query", "prometheus");
		assertThat(Yaml.map(variable.get("current"))).containsEntry("value", provisionedDatasource().get("uid"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dashboards")
	void everyPanelQueriesPrometheusThroughTheDatasourceVariable(Dashboard dashboard) {
		Map<String, Object> expected = Map.of("type", "prometheus", "uid", "${datasource}");
		assertThat(dashboard.panels()).isNotEmpty().allSatisfy((panel) -> {
			assertThat(Yaml.map(panel.get("datasource"))).as(String.valueOf(panel.get("title"))).isEqualTo(expected);
			List<Object> targets = Yaml.list(panel.get("targets"));
			assertThat(targets).as(String.valueOf(panel.get("title"))).isNotEmpty();
			assertThat(targets).extracting((target) -> Yaml.map(target).get("refId")).doesNotHaveDuplicates();
			assertThat(targets).allSatisfy((target) -> {
				assertThat(Yaml.map(Yaml.map(target).get("datasource"))).isEqualTo(expected);
				assertThat((String) Yaml.map(target).get("expr")).isNotBlank();
			});
		});
		dashboard.variables()
			.stream()
			.filter((variable) -> "query".equals(variable.get("type")))
			.forEach((variable) -> assertThat(Yaml.map(variable.get("datasource"))).isEqualTo(expected));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dashboards")
	void everyVariableAQueryUsesIsDefined(Dashboard dashboard) {
		Set<String> defined = new HashSet<>(BUILT_IN_VARIABLES);
		dashboard.variables().forEach((variable) -> defined.add((String) variable.get("name")));
		for (Dashboard.PanelQuery query : dashboard.queries()) {
			Matcher matcher = VARIABLE.matcher(query.expr());
			while (matcher.find()) {
				assertThat(defined).as(query.toString()).contains(matcher.group(1));
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dashboards")
	void panelsHaveUniqueIdsAndDoNotOverlapOnTheGrid(Dashboard dashboard) {
		assertThat(dashboard.gridItems()).extracting((item) -> item.get("id")).doesNotHaveDuplicates();
		Set<String> cells = new HashSet<>();
		for (Map<String, Object> item : dashboard.gridItems()) {
			Map<String, Object> grid = Yaml.map(item.get("gridPos"));
			int x = (Integer) grid.get("x");
			int y = (Integer) grid.get("y");
			int w = (Integer) grid.get("w");
			int h = (Integer) grid.get("h");
			assertThat(x + w).as("%s is within the 24 columns", item.get("title")).isLessThanOrEqualTo(24);
			for (int column = x; column < x + w; column++) {
				for (int row = y; row < y + h; row++) {
					assertThat(cells.add(column + ":" + row)).as("%s overlaps another panel", item.get("title"))
						.isTrue();
				}
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dashboards")
	void linksPointAtShippedDashboards(Dashboard dashboard) {
		Set<String> uids = new HashSet<>();
		dashboards().forEach((candidate) -> uids.add(candidate.uid()));
		for (Object link : Yaml.list(dashboard.json().get("links"))) {
			String url = (String) Yaml.map(link).get("url");
			Matcher matcher = Pattern.compile("^/d/([^/?]+)").matcher(url);
			assertThat(matcher.find()).as(url).isTrue();
			assertThat(uids).contains(matcher.group(1));
		}
	}

	private static Map<String, Object> provisionedDatasource() {
		List<Object> list = Yaml.list(datasources.get("datasources"));
		assertThat(list).hasSize(1);
		return Yaml.map(list.get(0));
	}

}
