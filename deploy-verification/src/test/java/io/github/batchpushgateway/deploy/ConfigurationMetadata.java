package io.github.batchpushgateway.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;

/**
 * Every configuration property an application declares, read from the
 * {@code META-INF/spring-configuration-metadata.json} files the configuration processor
 * generated for its class path (the example's own, the starter's, Spring Boot's), to tell a
 * property that exists from a typo.
 */
final class ConfigurationMetadata {

	private static final String MAP_TYPE = "java.util.Map<java.lang.String,";

	/**
	 * Property name to declared type.
	 */
	private final Map<String, String> properties;

	private final ClassLoader classLoader;

	private ConfigurationMetadata(Map<String, String> properties, ClassLoader classLoader) {
		this.properties = properties;
		this.classLoader = classLoader;
	}

	/**
	 * Reads the metadata of an application's class path.
	 * @param classLoader a class loader over the application's classes and libraries, which
	 * also loads the value types of map properties
	 * @return the metadata
	 */
	static ConfigurationMetadata of(ClassLoader classLoader) {
		Map<String, String> properties = new HashMap<>();
		try {
			for (URL file : Collections.list(classLoader.getResources("META-INF/spring-configuration-metadata.json"))) {
				try (InputStream json = file.openStream()) {
					List<Map<String, Object>> declared = JsonPath.parse(json).read("$.properties[*]");
					for (Map<String, Object> property : declared) {
						properties.put((String) property.get("name"), (String) property.getOrDefault("type", ""));
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return new ConfigurationMetadata(properties, classLoader);
	}

	/**
	 * Whether a property of this name is declared.
	 * @param name the property's name
	 * @return whether it is declared
	 */
	boolean declares(String name) {
		return this.properties.containsKey(name);
	}

	/**
	 * Whether a key as written in {@code application.yml} or on the command line binds to a
	 * declared property: the property itself, or an entry of a map property (for a map of
	 * objects, the entry's field must exist too).
	 * @param key the key, in the canonical kebab-case form
	 * @return whether it binds
	 */
	boolean binds(String key) {
		if (declares(key)) {
			return true;
		}
		for (Map.Entry<String, String> property : this.properties.entrySet()) {
			String type = property.getValue();
			if (!key.startsWith(property.getKey() + ".") || !type.startsWith(MAP_TYPE)) {
				continue;
			}
			String remainder = key.substring(property.getKey().length() + 1);
			String valueType = type.substring(MAP_TYPE.length(), type.length() - 1);
			if (valueType.startsWith("java.lang.")) {
				return !remainder.contains(".");
			}
			int dot = remainder.indexOf('.');
			return dot > 0 && fieldsOf(valueType).contains(remainder.substring(dot + 1));
		}
		return false;
	}

	/**
	 * Whether an environment variable binds to a declared property under Spring Boot's
	 * relaxed binding (upper case, underscores for dots, dashes dropped).
	 * @param variable the variable's name
	 * @return whether it binds
	 */
	boolean bindsVariable(String variable) {
		String relaxed = variable.toLowerCase(Locale.ROOT).replace('_', '.');
		return this.properties.keySet().stream().anyMatch((name) -> name.replace("-", "").equals(relaxed));
	}

	private List<String> fieldsOf(String className) {
		try {
			Class<?> type = Class.forName(className, false, this.classLoader);
			return java.util.Arrays.stream(type.getMethods())
				.map(Method::getName)
				.filter((name) -> name.startsWith("set") && name.length() > 3)
				.map((name) -> kebab(name.substring(3)))
				.toList();
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException("Metadata names " + className + ", which is not on the class path", ex);
		}
	}

	private static String kebab(String camel) {
		return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

}
