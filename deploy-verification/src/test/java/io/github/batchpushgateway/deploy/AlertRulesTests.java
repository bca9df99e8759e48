package io.github.batchpushgateway.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.github.batchpushgateway.testsupport.Promtool;
import io.github.batchpushgateway.testsupport.ToolResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert rules in {@code deploy/prometheus/rules/} and their promtool unit tests.
 */
class AlertRulesTests {

	@TempDir
	Path directory;

	@Test
	void ruleFilesPassPromtoolCheckWithoutFindings() {
		// when
		ToolResult result = Promtool.checkRules(DeployFiles.ruleFiles().toArray(Path[]::new));

		// then
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output().lines().filter((line) -> !line.isBlank()))
			.as("only 'Checking' and 'SUCCESS' lines, no warnings")
			.allMatch((line) -> line.startsWith("Checking ") || line.matches("\\s+SUCCESS: \\d+ rules found"));
	}

	@Test
	void promtoolUnitTestsPass() {
		// when
		ToolResult result = Promtool.testRules(DeployFiles.ruleTestFiles().toArray(Path[]::new));

		// then
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).doesNotContain("FAILED");
	}

	@Test
	void everyRuleFileIsLoadedByAUnitTestFile() {
		// given
		Set<Path> tested = new HashSet<>();
		for (Path testFile : DeployFiles.ruleTestFiles()) {
			for (Object ruleFile : Yaml.list(Yaml.read(testFile).get("rule_files"))) {
				tested.add(testFile.resolveSibling(String.valueOf(ruleFile)).normalize());
			}
		}

		// then
		assertThat(tested).containsAll(DeployFiles.ruleFiles());
	}

	@Test
	void everyAlertIsShownBothFiringAndSilentInUnitTests() {
		// given
		Set<String> firing = new HashSet<>();
		Set<String> silent = new HashSet<>();
		for (Path testFile : DeployFiles.ruleTestFiles()) {
			for (Map<String, Object> check : alertChecks(Yaml.read(testFile))) {
				String alertName = (String) check.get("alertname");
				(Yaml.list(check.get("exp_alerts")).isEmpty() ? silent : firing).add(alertName);
			}
		}

		// then
		List<String> alertNames = AlertRule.readAll().stream().map(AlertRule::name).distinct().toList();
		assertThat(firing).as("alerts shown firing").containsAll(alertNames);
		assertThat(silent).as("alerts shown silent").containsAll(alertNames);
	}

	@Test
	void everyAlertHasASeverityAndSaysWhatToDo() {
		assertThat(AlertRule.readAll()).isNotEmpty().allSatisfy((rule) -> {
			assertThat(rule.labels()).as(rule.name()).containsKey("severity");
			assertThat(rule.labels().get("severity")).as(rule.name()).isIn("critical", "warning");
			assertThat(rule.annotations().get("summary")).as(rule.name()).isNotBlank();
			assertThat(rule.annotations().get("description")).as(rule.name()).isNotBlank().hasSizeGreaterThan(100);
		});
	}

	@Test
	void perJobAlertsAreMarkedForInhibitionButGatewayAlertsAreNot() {
		// An alert about the gateway must never be silenced by the outage it reports, nor one
		// about the workers, which Prometheus scrapes itself; every other alert reads series the
		// gateway holds.
		assertThat(AlertRule.readAll()).allSatisfy((rule) -> {
			if (rule.group().equals("pushgateway") || rule.group().equals("batch-workers")) {
				assertThat(rule.labels()).as(rule.name()).doesNotContainKey("metrics_source");
			}
			else {
				assertThat(rule.labels()).as(rule.name()).containsEntry("metrics_source", "pushgateway");
			}
		});
	}

	/**
	 * The mutation tests below run promtool on a copy that keeps only one alert, the
	 * recording rules and that alert's checks: unmutated, that copy must pass, so a failure
	 * there comes from the mutation, not from what the copy left out.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("alertNames")
	void unitTestsPassOnTheCopyKeepingOnlyOneAlert(String alertName) throws IOException {
		// given
		Path[] testFiles = copyWithMutatedRule(alertName, (rule) -> {
		});

		// when
		ToolResult result = Promtool.testRules(testFiles);

		// then
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).doesNotContain("FAILED");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("alertNames")
	void unitTestsFailWhenAnAlertNeverFires(String alertName) throws IOException {
		// given
		Path[] testFiles = copyWithMutatedRule(alertName, "vector(1) == 2");

		// when
		ToolResult result = Promtool.testRules(testFiles);

		// then
		assertThat(result.isSuccess()).as(result.output()).isFalse();
		assertThat(result.output()).contains("alertname: " + alertName + ",");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("alertNames")
	void unitTestsFailWhenAnAlertAlwaysFires(String alertName) throws IOException {
		// given
		Path[] testFiles = copyWithMutatedRule(alertName, "vector(1)");

		// when
		ToolResult result = Promtool.testRules(testFiles);

		// then
		assertThat(result.isSuccess()).as(result.output()).isFalse();
		assertThat(result.output()).contains("alertname: " + alertName + ",");
	}

	/**
	 * The guards that keep the liveness alerts apart, and from firing on concurrent runs: the
	 * never/always mutations above cannot see a rule that fires on a case it must not (a dead
	 * process reported as stalled), so each guard is removed on its own and the unit tests must
	 * notice. The text to remove must be in the rule (in one of them, for an alert with a rule per
	 * severity): a rewritten rule fails here instead of passing unmutated.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("guardMutations")
	void unitTestsFailWhenARuleLosesAGuard(GuardMutation mutation) throws IOException {
		// given
		List<String> mutated = new ArrayList<>();
		Path[] testFiles = copyWithMutatedRule(mutation.alertName(), (rule) -> {
			if (mutation.field().equals("for")) {
				assertThat(rule).as(mutation.toString()).containsKey("for");
				rule.remove("for");
				mutated.add(String.valueOf(rule.get("expr")));
			}
			else {
				String expr = String.valueOf(rule.get("expr"));
				if (expr.contains(mutation.guard())) {
					rule.put("expr", expr.replace(mutation.guard(), mutation.replacement()));
					mutated.add(expr);
				}
			}
		});
		assertThat(mutated).as("rules of %s holding the guard", mutation).isNotEmpty();

		// when
		ToolResult result = Promtool.testRules(testFiles);

		// then
		assertThat(result.isSuccess()).as("%s%n%s", mutation, result.output()).isFalse();
		assertThat(result.output()).contains("alertname: " + mutation.alertName() + ",");
	}

	static Stream<GuardMutation> guardMutations() {
		String alive = " and min without (pushgateway) (timestamp(push_time_seconds) - push_time_seconds)"
				+ " <= 3 * max without (pushgateway) (batch_job_progress_interval_seconds)";
		// The freshest copy of a group across gateways (see batch-jobs.yml), and "running" read from it.
		String freshest = " (push_time_seconds == ignoring (pushgateway) group_left max without (pushgateway) (push_time_seconds)"
				+ " or group without (status) (batch_job_status) unless push_time_seconds)";
		String runningInFreshest = "batch_job_running > 0 and" + freshest + ")";
		Stream<GuardMutation> batchJobs = Stream.of(
				new GuardMutation("BatchJobProcessGone", "push age read at evaluation, not at the scrape",
						"timestamp(push_time_seconds)", "time()"),
				new GuardMutation("BatchJobProcessGone", "only one running execution counts", "batch_job_running > 0",
						"batch_job_running == 1"),
				new GuardMutation("BatchJobProcessGone", "no 'for' to ride out a gateway back from an outage", "for", null),
				new GuardMutation("BatchJobProcessGone", "the stalest gateway's push counts, not the freshest",
						"min without (pushgateway) (timestamp", "max without (pushgateway) (timestamp"),
				new GuardMutation("BatchJobProcessGone", "a gateway that missed the job's end keeps it running",
						runningInFreshest, "batch_job_running > 0)"),
				new GuardMutation("BatchJobStalled", "a dead process counts as stalled", alive, ""),
				new GuardMutation("BatchJobStalled", "only one running execution counts", "batch_job_running > 0",
						"batch_job_running == 1"),
				new GuardMutation("BatchJobStalled", "a stall timeout of 0 counts", "(batch_job_stall_timeout_seconds > 0)",
						"(batch_job_stall_timeout_seconds)"),
				new GuardMutation("BatchJobStalled", "a gateway that missed the job's end keeps it running",
						runningInFreshest, "batch_job_running > 0)"),
				new GuardMutation("BatchJobRunningTooLong", "a dead process counts as running too long", alive, ""),
				new GuardMutation("BatchJobRunningTooLong", "only one running execution counts", "batch_job_running > 0",
						"batch_job_running == 1"),
				new GuardMutation("BatchJobRunningTooLong", "a gateway that missed the job's end keeps it running",
						runningInFreshest, "batch_job_running > 0)"),
				new GuardMutation("BatchJobPartitionStalled", "a dead manager counts as waiting for its partitions",
						" and ignoring (step) min without (pushgateway) (timestamp(push_time_seconds) - push_time_seconds)"
								+ " <= 3 * max without (pushgateway) (batch_job_progress_interval_seconds)",
						""),
				new GuardMutation("BatchJobPartitionStalled", "a finished job's last push keeps it waiting",
						runningInFreshest, "batch_job_running > 0 or batch_job_running == 0)"),
				new GuardMutation("BatchJobPartitionStalled", "only one running execution counts",
						"batch_job_running > 0", "batch_job_running == 1"),
				new GuardMutation("BatchWorkerDown", "no 'for' to ride out one missed scrape", "for", null),
				new GuardMutation("BatchJobInterrupted", "fires while a run is under way",
						" unless ignoring (status) batch_job_running > 0", ""),
				new GuardMutation("BatchJobInterrupted", "no 'for' to let a restarted application resume the job", "for",
						null),
				new GuardMutation("BatchJobInterrupted", "a gateway that missed the next run reports the stop before it",
						" and ignoring (status, exit_code)" + freshest, ""),
				new GuardMutation("BatchJobLastRunFailed", "a gateway that missed the next run reports the failure before it",
						" and ignoring (status, exit_code)" + freshest, ""),
				new GuardMutation("BatchJobNeverSucceeded", "only one running execution counts", "batch_job_running > 0",
						"batch_job_running == 1"),
				new GuardMutation("BatchJobNeverSucceeded", "a gateway that missed the first run's start reports it idle",
						" and" + freshest, ""),
				new GuardMutation("BatchJobNoRecentSuccess", "a gateway that missed the last success reports the one before",
						"max without (pushgateway) (batch_job_last_success_timestamp_seconds)",
						"min without (pushgateway) (batch_job_last_success_timestamp_seconds)"),
				new GuardMutation("BatchJobMissedRun", "a gateway that missed the on-time run reports its old deadline",
						"max without (pushgateway) (batch_job_next_start_deadline_timestamp_seconds)",
						"min without (pushgateway) (batch_job_next_start_deadline_timestamp_seconds)"),
				new GuardMutation("BatchJobMissedRun", "no grace period: a start a minute late is missed",
						"(batch_job_next_start_deadline_timestamp_seconds)",
						"(batch_job_next_expected_start_timestamp_seconds)"),
				new GuardMutation("BatchJobCompletedEmpty", "a run that met its minimum counts as empty",
						"batch_job_last_run_empty == 1", "batch_job_last_run_empty"),
				new GuardMutation("BatchJobCompletedEmpty", "a gateway that missed the next run reports the empty one before it",
						" and" + freshest, ""),
				new GuardMutation("BatchJobNeverPushed", "a job pushed under grouping labels counts as never pushed",
						"unless on (job) batch_job_status", "unless batch_job_status"),
				new GuardMutation("BatchJobNeverPushed", "no 'for' to let a job declared as it is deployed run first",
						"for", null),
				new GuardMutation("BatchJobMetricsVanished", "a job gone from one gateway counts as vanished",
						"unless ignoring (pushgateway) batch_job_running", "unless batch_job_running"),
				new GuardMutation("BatchJobPushesUndelivered", "one unreachable gateway of two counts as undelivered",
						"sum without (outcome, target)", "sum without (outcome)"),
				new GuardMutation("PushgatewayDown", "one gateway of two down pages",
						" unless on () (up{job=\"pushgateway\"} == 1)", ""),
				new GuardMutation("PushgatewayDown", "every gateway down is only a warning",
						" and on () (up{job=\"pushgateway\"} == 1)", ""));
		return Stream.concat(batchJobs, gdprGuardMutations(freshest));
	}

	/**
	 * Every alert of {@code gdpr-erasure.yml} reads its job's series from the freshest copy and
	 * aggregates the gateways away: both are taken out of each alert on its own. The outer
	 * aggregation is the one followed by a space (the freshest copy's own is followed by its
	 * argument).
	 */
	private static Stream<GuardMutation> gdprGuardMutations(String freshest) {
		return AlertRule.readAll()
			.stream()
			.filter((rule) -> rule.group().equals("gdpr-erasure"))
			.map(AlertRule::name)
			.distinct()
			.flatMap((alertName) -> Stream.of(
					new GuardMutation(alertName, "a gateway that missed the last run reports the run before it",
							freshest, " push_time_seconds"),
					new GuardMutation(alertName, "one answer per gateway, not per job", "max without (pushgateway) ( ",
							"max without () ( ")));
	}

	/**
	 * One guard taken out of one rule.
	 *
	 * @param alertName the alert
	 * @param description what the mutated rule gets wrong
	 * @param guard the text removed from the expression, or {@code "for"} to drop the rule's
	 * {@code for:}
	 * @param replacement what replaces it in the expression
	 */
	record GuardMutation(String alertName, String description, String guard, String replacement) {

		String field() {
			return (this.replacement == null) ? "for" : "expr";
		}

		@Override
		public String toString() {
			return this.alertName + ": " + this.description;
		}

	}

	private static List<Map<String, Object>> alertChecks(Map<String, Object> testFile) {
		List<Map<String, Object>> checks = new ArrayList<>();
		for (Object test : Yaml.list(testFile.get("tests"))) {
			for (Object check : Yaml.list(Yaml.map(test).get("alert_rule_test"))) {
				checks.add(Yaml.map(check));
			}
		}
		return checks;
	}

	private static Set<String> checkedAlertNames(Map<String, Object> testFile) {
		Set<String> names = new HashSet<>();
		alertChecks(testFile).forEach((check) -> names.add((String) check.get("alertname")));
		return names;
	}

	static Stream<String> alertNames() {
		return AlertRule.readAll().stream().map(AlertRule::name).distinct();
	}

	/**
	 * Copies the rule files with every rule of the given alert given another expression, and the
	 * unit test files next to them as in the repository.
	 * @return the copied test files that load the rule file of the alert
	 */
	private Path[] copyWithMutatedRule(String alertName, String expr) throws IOException {
		return copyWithMutatedRule(alertName, (rule) -> rule.put("expr", expr));
	}

	/**
	 * Copies the rule files with every rule of the given alert changed, and the unit test files
	 * next to them as in the repository, keeping of both only what concerns the alert.
	 * @return the copied test files that load the rule file of the alert
	 */
	private Path[] copyWithMutatedRule(String alertName, Consumer<Map<String, Object>> mutation) throws IOException {
		Path rules = Files.createDirectories(this.directory.resolve("rules"));
		Path tests = Files.createDirectories(rules.resolve("tests"));
		Set<String> mutatedFiles = new HashSet<>();
		for (Path ruleFile : DeployFiles.ruleFiles()) {
			Map<String, Object> document = Yaml.read(ruleFile);
			List<Object> groups = new ArrayList<>();
			for (Object group : Yaml.list(document.get("groups"))) {
				// Of the alerts, only this one's rules (recording rules stay): an alert rule reads
				// series, never another alert, so the others cannot see the mutation, and promtool
				// evaluates every rule it loaded at every step of every test group (the other
				// alerts cost about nine tenths of the CPU of a mutation's run).
				List<Object> kept = new ArrayList<>();
				for (Object rule : Yaml.list(Yaml.map(group).get("rules"))) {
					Map<String, Object> fields = Yaml.map(rule);
					assertThat(String.valueOf(fields.get("expr"))).as("%s reads no alert", fields.get("alert"))
						.doesNotContain("ALERTS");
					if (alertName.equals(fields.get("alert"))) {
						mutation.accept(fields);
						mutatedFiles.add(ruleFile.getFileName().toString());
					}
					if (alertName.equals(fields.get("alert")) || !fields.containsKey("alert")) {
						kept.add(rule);
					}
				}
				if (!kept.isEmpty()) {
					Yaml.map(group).put("rules", kept);
					groups.add(group);
				}
			}
			document.put("groups", groups);
			Files.writeString(rules.resolve(ruleFile.getFileName()), Yaml.write(document), StandardCharsets.UTF_8);
		}
		// Only the test files that load the mutated rule file and check this alert, of those only
		// the test groups that check it, and of those only its checks: a mutated alert changes no
		// other alert, so only a check of this alert can fail on it, and promtool evaluates every
		// group of a file it is given (seconds of CPU per file, for about seventy mutations).
		List<Path> affectedTests = new ArrayList<>();
		for (Path testFile : DeployFiles.ruleTestFiles()) {
			Map<String, Object> document = Yaml.read(testFile);
			boolean loadsMutatedFile = Yaml.list(document.get("rule_files"))
				.stream()
				.anyMatch((ruleFile) -> mutatedFiles.contains(Path.of(String.valueOf(ruleFile)).getFileName().toString()));
			if (loadsMutatedFile && checkedAlertNames(document).contains(alertName)) {
				List<Map<String, Object>> checkingTests = new ArrayList<>();
				for (Object test : Yaml.list(document.get("tests"))) {
					List<Object> checks = Yaml.list(Yaml.map(test).get("alert_rule_test"))
						.stream()
						.filter((check) -> alertName.equals(Yaml.map(check).get("alertname")))
						.toList();
					if (!checks.isEmpty()) {
						Yaml.map(test).put("alert_rule_test", checks);
						checkingTests.add(Yaml.map(test));
					}
				}
				document.put("tests", checkingTests);
				affectedTests.add(Files.writeString(tests.resolve(testFile.getFileName()), Yaml.write(document),
						StandardCharsets.UTF_8));
			}
		}
		assertThat(affectedTests).as("unit test files checking " + alertName).isNotEmpty();
		return affectedTests.toArray(Path[]::new);
	}

}
