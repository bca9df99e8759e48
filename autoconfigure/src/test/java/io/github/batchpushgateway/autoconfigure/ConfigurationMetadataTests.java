package io.github.batchpushgateway.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.TypeDescriptor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the configuration metadata that IDEs read: the
 * {@code META-INF/spring-configuration-metadata.json} the configuration processor generates
 * from {@link BatchPushgatewayProperties}, merged with
 * {@code META-INF/additional-spring-configuration-metadata.json}. The expected properties and
 * defaults come from the properties class itself, so a property added without javadoc, or a
 * default the processor cannot see, fails here.
 */
class ConfigurationMetadataTests {

	private static final String PREFIX = "batch.pushgateway";

	private final DocumentContext metadata = generatedMetadata();

	private final Map<String, DeclaredProperty> declared = declaredProperties();

	@Test
	void listsEveryPropertyOfThePropertiesClassAndNoOther() {
		assertThat(this.declared).isNotEmpty();
		java.util.Set<String> expected = new java.util.TreeSet<>(this.declared.keySet());
		// Read by the test support, not bound to the properties class: it must work where the
		// starter is disabled for tests.
		expected.add("batch.pushgateway.test.push");
		assertThat(metadataProperties().keySet()).containsExactlyInAnyOrderElementsOf(expected);
	}

	@Test
	void describesEveryPropertyInSpringBootsStyle() {
		metadataProperties().forEach((name, property) -> {
			Object description = property.get("description");
			assertThat(description).as("description of %s", name).isInstanceOf(String.class);
			String text = (String) description;
			assertThat(text).as("description of %s", name).isNotBlank().endsWith(".").doesNotStartWith("The ")
				.doesNotStartWith("A ");
			if ("java.lang.Boolean".equals(property.get("type"))) {
				assertThat(text).as("description of %s", name).startsWith("Whether ");
			}
		});
	}

	@Test
	void givesTheRealDefaultOfEveryPropertyThatHasOne() {
		Map<String, Map<String, Object>> properties = metadataProperties();
		this.declared.forEach((name, property) -> {
			Object metadataDefault = properties.get(name).get("defaultValue");
			if (property.hasDefault()) {
				assertThat(metadataDefault).as("defaultValue of %s", name).isNotNull();
				Object converted = ApplicationConversionService.getSharedInstance()
					.convert(metadataDefault, TypeDescriptor.forObject(metadataDefault), property.type());
				assertThat(converted).as("defaultValue %s of %s", metadataDefault, name).isEqualTo(property.value());
			}
			else {
				assertThat(metadataDefault).as("defaultValue of %s, which has none", name).isNull();
			}
		});
	}

	@Test
	void givesTheJobsIncludeDefaultThatTheAnnotationProcessorMisses() {
		assertThat(metadataProperties().get(PREFIX + ".jobs.include")).containsEntry("defaultValue", List.of("*"));
	}

	@Test
	void hintsEveryValueOfEachEnumPropertyWithADescription() {
		Map<String, List<Map<String, Object>>> hints = hintValues();
		List<DeclaredProperty> enums = this.declared.values()
			.stream()
			.filter((property) -> property.type().getType().isEnum())
			.toList();
		assertThat(enums).extracting(DeclaredProperty::name).contains(PREFIX + ".format", PREFIX + ".scheme");
		for (DeclaredProperty property : enums) {
			List<String> constants = Arrays.stream(property.type().getType().getEnumConstants())
				.map((constant) -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT))
				.toList();
			List<Map<String, Object>> values = hints.get(property.name());
			assertThat(values).as("hint values of %s", property.name()).isNotNull();
			assertThat(values).extracting((value) -> value.get("value")).containsExactlyElementsOf(constants);
			assertThat(values).allSatisfy((value) -> assertThat(value.get("description")).as("description of %s",
					value.get("value")).isInstanceOf(String.class).asString().isNotBlank().endsWith("."));
		}
	}

	@Test
	void hintsOnlyPropertiesThatExist() {
		Map<String, DeclaredProperty> maps = this.declared.values()
			.stream()
			.filter((property) -> Map.class.isAssignableFrom(property.type().getType()))
			.collect(Collectors.toMap(DeclaredProperty::name, (property) -> property));
		List<String> hinted = this.metadata.read("$.hints[*].name");
		assertThat(hinted).isNotEmpty().allSatisfy((name) -> {
			String property = name.replaceFirst("\\.(keys|values)$", "");
			assertThat(name.equals(property) ? this.declared : maps).as("hinted property %s", name)
				.containsKey(property);
		});
	}

	@Test
	void hintsAnyValueForFreeFormPropertiesWithSuggestions() {
		Map<String, List<Map<String, Object>>> hints = hintValues();
		assertThat(hints.get(PREFIX + ".jobs.include")).extracting((value) -> value.get("value")).containsExactly("*");
		// No default in the metadata: localhost:9091 applies only when no other target is set.
		assertThat(hints.get(PREFIX + ".address")).extracting((value) -> value.get("value"))
			.containsExactly("localhost:9091");
		List<String> anyProvided = this.metadata.read("$.hints[?(@.providers[0].name == 'any')].name");
		assertThat(anyProvided).contains(PREFIX + ".jobs.include", PREFIX + ".address",
				PREFIX + ".grouping-key.keys");
	}

	private Map<String, Map<String, Object>> metadataProperties() {
		List<Map<String, Object>> properties = this.metadata.read("$.properties[*]");
		Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
		properties.stream()
			.filter((property) -> ((String) property.get("name")).startsWith(PREFIX + "."))
			.forEach((property) -> byName.put((String) property.get("name"), property));
		return byName;
	}

	private Map<String, List<Map<String, Object>>> hintValues() {
		List<Map<String, Object>> hints = this.metadata.read("$.hints[*]");
		Map<String, List<Map<String, Object>>> byName = new LinkedHashMap<>();
		for (Map<String, Object> hint : hints) {
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> values = (List<Map<String, Object>>) hint.getOrDefault("values", List.of());
			byName.put((String) hint.get("name"), values);
		}
		return byName;
	}

	/**
	 * The metadata file next to this module's own classes, not one of the many on the class
	 * path.
	 */
	private static DocumentContext generatedMetadata() {
		try {
			// target/classes in this module; the jar when spring-boot-4.1-tests runs these tests
			URL location = BatchPushgatewayProperties.class.getProtectionDomain().getCodeSource().getLocation();
			String path = "META-INF/spring-configuration-metadata.json";
			URL file = location.getPath().endsWith(".jar") ? new URL("jar:" + location + "!/" + path)
					: new URL(location, path);
			try (InputStream json = file.openStream()) {
				return JsonPath.parse(json);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("No generated configuration metadata next to "
					+ BatchPushgatewayProperties.class.getName() + ": is spring-boot-configuration-processor missing?",
					ex);
		}
	}

	/**
	 * Every leaf property of {@link BatchPushgatewayProperties}, with its default as a fresh
	 * instance holds it. Nested groups (fields of this project's own non-enum types) are walked.
	 */
	private static Map<String, DeclaredProperty> declaredProperties() {
		Map<String, DeclaredProperty> properties = new LinkedHashMap<>();
		collect(PREFIX, new BatchPushgatewayProperties(), properties);
		return properties;
	}

	private static void collect(String prefix, Object instance, Map<String, DeclaredProperty> properties) {
		for (Field field : instance.getClass().getDeclaredFields()) {
			if (Modifier.isStatic(field.getModifiers()) || field.isSynthetic()) {
				continue;
			}
			field.setAccessible(true);
			Object value;
			try {
				value = field.get(instance);
			}
			catch (IllegalAccessException ex) {
				throw new IllegalStateException(ex);
			}
			String name = prefix + "." + kebab(field.getName());
			Class<?> type = field.getType();
			if (!type.isEnum() && type.getPackageName().startsWith("io.github.batchpushgateway")) {
				collect(name, Objects.requireNonNull(value, name), properties);
			}
			else {
				properties.put(name, new DeclaredProperty(name, new TypeDescriptor(field), value));
			}
		}
	}

	private static String kebab(String camel) {
		return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

	private record DeclaredProperty(String name, TypeDescriptor type, Object value) {

		boolean hasDefault() {
			return this.value != null && !(this.value instanceof Collection<?> collection && collection.isEmpty())
					&& !(this.value instanceof Map<?, ?> map && map.isEmpty());
		}

	}

}
