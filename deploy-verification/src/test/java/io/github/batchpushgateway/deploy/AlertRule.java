package io.github.batchpushgateway.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One alerting rule of a rule file.
 *
 * @param file the rule file
 * @param group the rule group's name
 * @param name the alert name
 * @param expr the PromQL expression
 * @param labels the labels the rule adds
 * @param annotations the annotations the rule adds
 */
record AlertRule(Path file, String group, String name, String expr, Map<String, String> labels,
		Map<String, String> annotations) {

	/**
	 * Reads the alerting rules of the given files; recording rules are left out.
	 * @param files the rule files
	 * @return the alerting rules in file order
	 */
	static List<AlertRule> readAll(List<Path> files) {
		List<AlertRule> rules = new ArrayList<>();
		for (Path file : files) {
			for (Object group : Yaml.list(Yaml.read(file).get("groups"))) {
				Map<String, Object> groupMap = Yaml.map(group);
				for (Object rule : Yaml.list(groupMap.get("rules"))) {
					Map<String, Object> ruleMap = Yaml.map(rule);
					if (ruleMap.containsKey("alert")) {
						rules.add(new AlertRule(file, (String) groupMap.get("name"), (String) ruleMap.get("alert"),
								String.valueOf(ruleMap.get("expr")), Yaml.strings(ruleMap.get("labels")),
								Yaml.strings(ruleMap.get("annotations"))));
					}
				}
			}
		}
		return rules;
	}

	static List<AlertRule> readAll() {
		return readAll(DeployFiles.ruleFiles());
	}

}
