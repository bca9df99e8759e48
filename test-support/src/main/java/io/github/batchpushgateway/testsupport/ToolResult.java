package io.github.batchpushgateway.testsupport;

/**
 * Outcome of a command line tool run, such as {@code promtool} or {@code amtool}.
 *
 * @param exitCode the process exit code, 0 when the tool found nothing to report
 * @param output standard output and standard error, interleaved
 */
public record ToolResult(int exitCode, String output) {

	/**
	 * Whether the tool exited with code 0.
	 * @return {@code true} on success
	 */
	public boolean isSuccess() {
		return this.exitCode == 0;
	}

}
