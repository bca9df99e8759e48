package io.github.batchpushgateway.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads and writes the YAML files of the operations pack as plain maps and lists.
 */
final class Yaml {

	private Yaml() {
	}

	static Map<String, Object> read(Path file) {
		try {
			return map(new org.yaml.snakeyaml.Yaml(new SafeConstructor(new LoaderOptions()))
				.load(Files.readString(file, StandardCharsets.UTF_8)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + file, ex);
		}
	}

	/**
	 * Reads every document of a file, such as a Kubernetes manifest holding several objects.
	 * @param file the file
	 * @return its documents in order
	 */
	static List<Map<String, Object>> readAll(Path file) {
		try {
			List<Map<String, Object>> documents = new ArrayList<>();
			for (Object document : new org.yaml.snakeyaml.Yaml(new SafeConstructor(new LoaderOptions()))
				.loadAll(Files.readString(file, StandardCharsets.UTF_8))) {
				documents.add(map(document));
			}
			return documents;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + file, ex);
		}
	}

	static String write(Map<String, Object> document) {
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		options.setWidth(Integer.MAX_VALUE);
		return new org.yaml.snakeyaml.Yaml(options).dump(document);
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object value) {
		return (value != null) ? (Map<String, Object>) value : Map.of();
	}

	@SuppressWarnings("unchecked")
	static List<Object> list(Object value) {
		return (value != null) ? (List<Object>) value : List.of();
	}

	@SuppressWarnings("unchecked")
	static Map<String, String> strings(Object value) {
		return (value != null) ? (Map<String, String>) value : Map.of();
	}

}
