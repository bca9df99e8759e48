package io.github.batchpushgateway.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;

/**
 * A Grafana dashboard JSON file of {@code deploy/grafana/dashboards/}, read as plain maps and lists.
 *
 * @param file the JSON file
 * @param json the parsed dashboard
 */
record Dashboard(Path file, Map<String, Object> json) {

	static Dashboard read(Path file) {
		try {
			return new Dashboard(file, JsonPath.parse(Files.readString(file, StandardCharsets.UTF_8)).json());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + file, ex);
		}
	}

	static List<Dashboard> readAll() {
		return DeployFiles.dashboards().stream().map(Dashboard::read).toList();
	}

	String uid() {
		return (String) this.json.get("uid");
	}

	String title() {
		return (String) this.json.get("title");
	}

	List<Map<String, Object>> variables() {
		return Yaml.list(Yaml.map(this.json.get("templating")).get("list")).stream().map(Yaml::map).toList();
	}

	Map<String, Object> variable(String name) {
		return variables().stream()
			.filter((variable) -> name.equals(variable.get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError(title() + " has no variable " + name));
	}

	/**
	 * Returns every panel, those inside rows included, rows themselves left out.
	 * @return the panels in file order
	 */
	List<Map<String, Object>> panels() {
		List<Map<String, Object>> panels = new ArrayList<>();
		collect(Yaml.list(this.json.get("panels")), panels);
		return panels;
	}

	/**
	 * Returns every panel and row, as laid out on the grid.
	 * @return the top-level grid items
	 */
	List<Map<String, Object>> gridItems() {
		return Yaml.list(this.json.get("panels")).stream().map(Yaml::map).toList();
	}

	private static void collect(List<Object> items, List<Map<String, Object>> panels) {
		for (Object item : items) {
			Map<String, Object> panel = Yaml.map(item);
			if ("row".equals(panel.get("type"))) {
				collect(Yaml.list(panel.get("panels")), panels);
			}
			else {
				panels.add(panel);
			}
		}
	}

	/**
	 * Returns the queries of every panel.
	 * @return the targets, each with its panel
	 */
	List<PanelQuery> queries() {
		List<PanelQuery> queries = new ArrayList<>();
		for (Map<String, Object> panel : panels()) {
			for (Object target : Yaml.list(panel.get("targets"))) {
				queries.add(new PanelQuery(this, panel, Yaml.map(target)));
			}
		}
		return queries;
	}

	@Override
	public String toString() {
		return this.file.getFileName().toString();
	}

	/**
	 * One query of one panel.
	 *
	 * @param dashboard the dashboard
	 * @param panel the panel
	 * @param target the query
	 */
	record PanelQuery(Dashboard dashboard, Map<String, Object> panel, Map<String, Object> target) {

		String expr() {
			return (String) this.target.get("expr");
		}

		boolean instant() {
			return Boolean.TRUE.equals(this.target.get("instant"));
		}

		@Override
		public String toString() {
			return this.dashboard.title() + " / " + this.panel.get("title") + " / " + this.target.get("refId");
		}

	}

}
