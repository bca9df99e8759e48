package io.github.batchpushgateway.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Copies the real rule files for end-to-end tests, changing nothing but the {@code for:}
 * durations, which shrink sixty-fold (minutes become seconds) so that a test sees alerts fire
 * within seconds. The order of the durations, which the inhibition depends on (the gateway alert
 * fires before the per-job alerts it inhibits), is kept.
 */
final class ShortDurationRules {

	private static final Pattern FOR_LINE = Pattern.compile("^(\\s+for:\\s*)(\\d+)(ms|s|m|h|d)\\s*$",
			Pattern.MULTILINE);

	private ShortDurationRules() {
	}

	/**
	 * Writes the shortened copies of all rule files into a directory.
	 * @param directory the target directory
	 * @return the glob that loads them, for {@code rule_files}
	 */
	static String writeTo(Path directory) {
		try {
			Files.createDirectories(directory);
			for (Path ruleFile : DeployFiles.ruleFiles()) {
				String text = Files.readString(ruleFile, StandardCharsets.UTF_8);
				Files.writeString(directory.resolve(ruleFile.getFileName()), shorten(text), StandardCharsets.UTF_8);
			}
			return directory.toAbsolutePath().resolve("*.yml").toString();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not copy the rule files", ex);
		}
	}

	static String shorten(String ruleFileText) {
		Matcher matcher = FOR_LINE.matcher(ruleFileText);
		StringBuilder result = new StringBuilder();
		while (matcher.find()) {
			Duration original = duration(Long.parseLong(matcher.group(2)), matcher.group(3));
			long seconds = Math.max(1, original.toSeconds() / 60);
			matcher.appendReplacement(result, Matcher.quoteReplacement(matcher.group(1) + seconds + "s"));
		}
		matcher.appendTail(result);
		return result.toString();
	}

	private static Duration duration(long amount, String unit) {
		return switch (unit) {
			case "ms" -> Duration.ofMillis(amount);
			case "s" -> Duration.ofSeconds(amount);
			case "m" -> Duration.ofMinutes(amount);
			case "h" -> Duration.ofHours(amount);
			default -> Duration.ofDays(amount);
		};
	}

}
