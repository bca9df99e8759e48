package io.github.batchpushgateway.push;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.springframework.util.Assert;

/**
 * A {@link PushClient} for node_exporter's textfile collector: each group's complete state is one
 * {@code .prom} file in a directory that node_exporter reads (its
 * {@code --collector.textfile.directory}). The labels a Pushgateway would take from the URL (the
 * job and the grouping key) are written into every sample. A file is written to a temporary file
 * in the same directory, whose name does not end in {@code .prom}, then renamed over the old
 * one, so node_exporter never reads half a file. The read-back reads the group's own file.
 *
 * <p>{@code batch.pushgateway.textfile.directory} configures one; create it yourself for
 * {@link PushClient} beans of your own.
 */
public final class TextfileClient implements PushClient {

	private final Path directory;

	private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

	/**
	 * Creates a client writing to the given directory.
	 * @param directory the directory node_exporter's textfile collector reads
	 */
	public TextfileClient(Path directory) {
		Assert.notNull(directory, "'directory' must not be null");
		this.directory = directory;
	}

	@Override
	public void push(PushGroup group, MetricSnapshots metrics) throws IOException {
		ByteArrayOutputStream text = new ByteArrayOutputStream();
		this.writer.write(text, metrics);
		String labelled = withGroupLabels(text.toString(StandardCharsets.UTF_8), group);
		Path target = fileOf(group);
		Path temporary = this.directory.resolve("." + target.getFileName() + ".tmp");
		Files.writeString(temporary, labelled, StandardCharsets.UTF_8);
		try {
			Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (AtomicMoveNotSupportedException ex) {
			Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	@Override
	public GroupOutcomes readOutcomes(PushGroup group) throws IOException {
		try (Reader text = Files.newBufferedReader(fileOf(group), StandardCharsets.UTF_8)) {
			return ExposedSamples.outcomesOf(group, text);
		}
		catch (NoSuchFileException ex) {
			return GroupOutcomes.NONE;
		}
	}

	@Override
	public String describe() {
		return "textfile:" + this.directory;
	}

	/**
	 * Returns the group's file: {@code batch_<job>[_<label>_<value>...]_<hash>.prom}, with every
	 * character other than letters, digits, {@code -} and {@code _} replaced, and a hash of the
	 * exact group so that groups whose names differ only in replaced characters never share a file.
	 * @param group the group
	 * @return the file's path
	 */
	Path fileOf(PushGroup group) {
		StringBuilder name = new StringBuilder("batch_").append(safe(group.job()));
		StringBuilder exact = new StringBuilder(group.job());
		group.groupingKey().forEach((label, value) -> {
			name.append('_').append(safe(label)).append('_').append(safe(value));
			exact.append('\u0000').append(label).append('\u0000').append(value);
		});
		String prefix = (name.length() > 120) ? name.substring(0, 120) : name.toString();
		return this.directory.resolve(prefix + "_" + hash(exact.toString()) + ".prom");
	}

	private static String safe(String text) {
		StringBuilder safe = new StringBuilder(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
					|| c == '_';
			safe.append(allowed ? c : '_');
		}
		return safe.toString();
	}

	private static String hash(String text) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 4);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JVM", ex);
		}
	}

	/**
	 * Adds the group's labels to every sample line of the text format: {@code name 1} becomes
	 * {@code name{job="x"} 1}, {@code name{a="b"} 1} becomes {@code name{job="x",a="b"} 1}.
	 */
	static String withGroupLabels(String text, PushGroup group) {
		Map<String, String> labels = new LinkedHashMap<>();
		labels.put("job", group.job());
		labels.putAll(group.groupingKey());
		StringBuilder rendered = new StringBuilder();
		labels.forEach((name, value) -> {
			if (!rendered.isEmpty()) {
				rendered.append(',');
			}
			rendered.append(name).append("=\"").append(escape(value)).append('"');
		});
		StringBuilder out = new StringBuilder(text.length() + 64);
		for (String line : text.split("\n", -1)) {
			if (line.isEmpty() || line.startsWith("#")) {
				out.append(line);
			}
			else {
				int brace = line.indexOf('{');
				int space = line.indexOf(' ');
				if (brace >= 0 && (space < 0 || brace < space)) {
					out.append(line, 0, brace + 1).append(rendered).append(',').append(line.substring(brace + 1));
				}
				else {
					out.append(line, 0, space).append('{').append(rendered).append('}').append(line.substring(space));
				}
			}
			out.append('\n');
		}
		out.setLength(out.length() - 1);
		return out.toString();
	}

	private static String escape(String value) {
		return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
	}

}
