package io.github.batchpushgateway.testsupport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Samples parsed from the Prometheus text exposition format (version 0.0.4), as served
 * by a Pushgateway's {@code /metrics} page.
 *
 * <p>
 * Comments ({@code # HELP}, {@code # TYPE}) and blank lines are skipped; label values are
 * unescaped ({@code \\}, {@code \"}, {@code \n}); {@code NaN}, {@code +Inf} and
 * {@code -Inf} are read as the matching doubles; an optional timestamp after the value is
 * ignored.
 */
public final class ScrapedMetrics {

	private final List<Sample> samples;

	private ScrapedMetrics(List<Sample> samples) {
		this.samples = List.copyOf(samples);
	}

	/**
	 * Parse a text exposition.
	 * @param text the exposition
	 * @return the samples it holds
	 * @throws IllegalArgumentException when a line is not valid, naming the line
	 */
	public static ScrapedMetrics parse(String text) {
		List<Sample> samples = new ArrayList<>();
		String[] lines = text.split("\n", -1);
		for (int i = 0; i < lines.length; i++) {
			String line = lines[i].strip();
			if (line.isEmpty() || line.startsWith("#")) {
				continue;
			}
			try {
				samples.add(new LineParser(line).parse());
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("Invalid exposition line " + (i + 1) + ": " + line + " ("
						+ ex.getMessage() + ")", ex);
			}
		}
		return new ScrapedMetrics(samples);
	}

	/**
	 * Return all samples.
	 * @return the samples in exposition order
	 */
	public List<Sample> samples() {
		return this.samples;
	}

	/**
	 * Return the samples of one metric name (for histograms and summaries, the name of a
	 * series such as {@code x_bucket}).
	 * @param metricName the sample name
	 * @return the samples, possibly empty
	 */
	public List<Sample> samples(String metricName) {
		return this.samples.stream().filter((sample) -> sample.name().equals(metricName)).toList();
	}

	/**
	 * Return the value of the single sample of a metric whose labels contain the given
	 * ones.
	 * @param metricName the sample name
	 * @param labelsSubset labels the sample must have (others are allowed)
	 * @return the value, or empty when no sample matches
	 * @throws IllegalStateException when more than one sample matches
	 */
	public OptionalDouble value(String metricName, Map<String, String> labelsSubset) {
		List<Sample> matching = matching(metricName, labelsSubset);
		if (matching.size() > 1) {
			throw new IllegalStateException(matching.size() + " series of " + metricName + " match " + labelsSubset
					+ ", add labels to tell them apart:" + listing(matching));
		}
		return matching.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(matching.get(0).value());
	}

	/**
	 * Return the value of the single sample of a metric whose labels contain the given
	 * ones, failing like an assertion when there is none.
	 * @param metricName the sample name
	 * @param labelsSubset labels the sample must have (others are allowed)
	 * @return the value
	 * @throws AssertionError when no sample matches, listing the series of that metric
	 * (or all metric names when the metric is absent)
	 * @throws IllegalStateException when more than one sample matches
	 */
	public double require(String metricName, Map<String, String> labelsSubset) {
		OptionalDouble value = value(metricName, labelsSubset);
		if (value.isPresent()) {
			return value.getAsDouble();
		}
		List<Sample> sameName = samples(metricName);
		if (sameName.isEmpty()) {
			throw new AssertionError("No metric " + metricName + " in the scrape; metric names: " + names());
		}
		throw new AssertionError(
				"No series of " + metricName + " with labels " + labelsSubset + "; series:" + listing(sameName));
	}

	/**
	 * Return the names of all samples.
	 * @return the names, sorted
	 */
	public Set<String> names() {
		Set<String> names = this.samples.stream()
			.map(Sample::name)
			.sorted()
			.collect(Collectors.toCollection(LinkedHashSet::new));
		return Collections.unmodifiableSet(names);
	}

	private List<Sample> matching(String metricName, Map<String, String> labelsSubset) {
		return this.samples.stream()
			.filter((sample) -> sample.name().equals(metricName))
			.filter((sample) -> sample.labels().entrySet().containsAll(labelsSubset.entrySet()))
			.toList();
	}

	private static String listing(List<Sample> samples) {
		return samples.stream().map((sample) -> System.lineSeparator() + "  " + sample).collect(Collectors.joining());
	}

	@Override
	public String toString() {
		return "ScrapedMetrics" + listing(this.samples);
	}

	/**
	 * One sample of the exposition.
	 *
	 * @param name the sample name
	 * @param labels its labels, in exposition order
	 * @param value its value
	 */
	public record Sample(String name, Map<String, String> labels, double value) {

		/**
		 * Create a sample with an unmodifiable copy of the labels.
		 * @param name the sample name
		 * @param labels its labels
		 * @param value its value
		 */
		public Sample {
			labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
		}

		@Override
		public String toString() {
			return this.name + this.labels.entrySet()
				.stream()
				.map((label) -> label.getKey() + "=\"" + label.getValue() + "\"")
				.collect(Collectors.joining(",", "{", "}")) + " " + this.value;
		}

	}

	/**
	 * Reads one sample line: {@code name{label="value",...} value [timestamp]}.
	 */
	private static final class LineParser {

		private final String line;

		private int position;

		LineParser(String line) {
			this.line = line;
		}

		Sample parse() {
			String name = readName();
			if (name.isEmpty()) {
				throw new IllegalArgumentException("no metric name");
			}
			Map<String, String> labels = new LinkedHashMap<>();
			skipBlanks();
			if (peek() == '{') {
				this.position++;
				readLabels(labels);
			}
			skipBlanks();
			String[] rest = this.line.substring(this.position).trim().split("[ \t]+");
			if (rest.length == 0 || rest[0].isEmpty() || rest.length > 2) {
				throw new IllegalArgumentException("expected a value and an optional timestamp");
			}
			return new Sample(name, labels, parseValue(rest[0]));
		}

		private void readLabels(Map<String, String> labels) {
			while (true) {
				skipBlanks();
				if (peek() == '}') {
					this.position++;
					return;
				}
				String labelName = readName();
				if (labelName.isEmpty()) {
					throw new IllegalArgumentException("expected a label name at column " + (this.position + 1));
				}
				skipBlanks();
				expect('=');
				skipBlanks();
				expect('"');
				labels.put(labelName, readQuotedValue());
				skipBlanks();
				if (peek() == ',') {
					this.position++;
				}
				else if (peek() != '}') {
					throw new IllegalArgumentException("expected ',' or '}' at column " + (this.position + 1));
				}
			}
		}

		private String readQuotedValue() {
			StringBuilder value = new StringBuilder();
			while (this.position < this.line.length()) {
				char c = this.line.charAt(this.position++);
				if (c == '"') {
					return value.toString();
				}
				if (c == '\\' && this.position < this.line.length()) {
					char escaped = this.line.charAt(this.position++);
					switch (escaped) {
						case 'n' -> value.append('\n');
						case '\\' -> value.append('\\');
						case '"' -> value.append('"');
						default -> value.append('\\').append(escaped);
					}
				}
				else {
					value.append(c);
				}
			}
			throw new IllegalArgumentException("unterminated label value");
		}

		private String readName() {
			int start = this.position;
			while (this.position < this.line.length() && isNameChar(this.line.charAt(this.position))) {
				this.position++;
			}
			return this.line.substring(start, this.position);
		}

		private static boolean isNameChar(char c) {
			return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
					|| c == ':';
		}

		private void expect(char expected) {
			if (peek() != expected) {
				throw new IllegalArgumentException("expected '" + expected + "' at column " + (this.position + 1));
			}
			this.position++;
		}

		private char peek() {
			return (this.position < this.line.length()) ? this.line.charAt(this.position) : '\0';
		}

		private void skipBlanks() {
			while (this.position < this.line.length()
					&& (this.line.charAt(this.position) == ' ' || this.line.charAt(this.position) == '\t')) {
				this.position++;
			}
		}

		private static double parseValue(String text) {
			switch (text) {
				case "NaN":
					return Double.NaN;
				case "+Inf":
				case "Inf":
					return Double.POSITIVE_INFINITY;
				case "-Inf":
					return Double.NEGATIVE_INFINITY;
				default:
					try {
						return Double.parseDouble(text);
					}
					catch (NumberFormatException ex) {
						throw new IllegalArgumentException("invalid value '" + text + "'");
					}
			}
		}

	}

}
