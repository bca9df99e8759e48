package io.github.batchpushgateway.testsupport;

import java.nio.file.Path;
import java.util.List;

/**
 * Runs {@code promtool}, Prometheus' own linter and rule unit test runner.
 */
public final class Promtool {

	private static final String BINARY = "promtool";

	private Promtool() {
	}

	/**
	 * Lint a text exposition with {@code promtool check metrics}. Any finding (naming,
	 * missing help, wrong counter suffix) gives a non-zero exit code and is listed in the
	 * output.
	 * @param exposition the text exposition, as pushed or scraped
	 * @return the result
	 */
	public static ToolResult checkMetrics(String exposition) {
		return ToolRunner.run(BINARY, List.of("check", "metrics"), exposition);
	}

	/**
	 * Validate rule files with {@code promtool check rules}.
	 * @param files the rule files
	 * @return the result
	 */
	public static ToolResult checkRules(Path... files) {
		return ToolRunner.run(BINARY, ToolRunner.paths("check rules", files), null);
	}

	/**
	 * Run rule unit tests with {@code promtool test rules}. Rule files named in a test
	 * file are resolved relative to that test file.
	 * @param files the test files
	 * @return the result
	 */
	public static ToolResult testRules(Path... files) {
		return ToolRunner.run(BINARY, ToolRunner.paths("test rules", files), null);
	}

	/**
	 * Validate Prometheus configuration files with {@code promtool check config}.
	 * @param files the configuration files
	 * @return the result
	 */
	public static ToolResult checkConfig(Path... files) {
		return ToolRunner.run(BINARY, ToolRunner.paths("check config", files), null);
	}

}
