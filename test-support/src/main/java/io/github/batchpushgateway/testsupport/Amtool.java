package io.github.batchpushgateway.testsupport;

import java.nio.file.Path;

/**
 * Runs {@code amtool}, Alertmanager's command line tool.
 */
public final class Amtool {

	private static final String BINARY = "amtool";

	private Amtool() {
	}

	/**
	 * Validate an Alertmanager configuration with {@code amtool check-config}.
	 * @param file the {@code alertmanager.yml}
	 * @return the result
	 */
	public static ToolResult checkConfig(Path file) {
		return ToolRunner.run(BINARY, ToolRunner.paths("check-config", file), null);
	}

}
