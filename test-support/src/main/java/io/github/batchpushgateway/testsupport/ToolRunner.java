package io.github.batchpushgateway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command line tool to completion and captures its output.
 */
final class ToolRunner {

	/**
	 * A guard against a tool that hangs, not a speed bound: on a shared two-core machine under load,
	 * promtool running every rule unit test once took more than a minute of wall time for 17 s of CPU.
	 */
	private static final Duration TIMEOUT = Duration.ofMinutes(5);

	private ToolRunner() {
	}

	/**
	 * Run a tool found with {@link Binaries#require(String)}.
	 * @param tool the executable's name
	 * @param arguments its arguments
	 * @param stdin text for its standard input, or {@code null} for none
	 * @return the exit code and the output
	 */
	static ToolResult run(String tool, List<String> arguments, String stdin) {
		List<String> command = new ArrayList<>();
		command.add(Binaries.require(tool).toString());
		command.addAll(arguments);
		return run(command, stdin);
	}

	/**
	 * Run a command line to completion.
	 * @param command the command line, executable first
	 * @param stdin text for its standard input, or {@code null} for none
	 * @return the exit code and the output
	 */
	static ToolResult run(List<String> command, String stdin) {
		String tool = Path.of(command.get(0)).getFileName().toString();
		Path directory = TempDirectories.create(tool);
		try {
			// Files rather than pipes: no thread juggling, no deadlock on large outputs.
			Path input = directory.resolve("stdin");
			Path output = directory.resolve("output");
			Files.writeString(input, (stdin != null) ? stdin : "", StandardCharsets.UTF_8);
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectInput(input.toFile())
				.redirectOutput(output.toFile())
				.start();
			if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(String.join(" ", command) + " did not finish within " + TIMEOUT);
			}
			return new ToolResult(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + tool, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + tool, ex);
		}
		finally {
			TempDirectories.delete(directory);
		}
	}

	static List<String> paths(String first, Path... files) {
		List<String> arguments = new ArrayList<>(List.of(first.split(" ")));
		for (Path file : files) {
			arguments.add(file.toAbsolutePath().toString());
		}
		return arguments;
	}

}
