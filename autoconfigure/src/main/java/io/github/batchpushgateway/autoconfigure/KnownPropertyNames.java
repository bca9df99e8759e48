package io.github.batchpushgateway.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.core.ResolvableType;
import org.springframework.util.Assert;

/**
 * The property names a {@code @ConfigurationProperties} class binds, read from the class itself
 * (so a property added there is known at once), with relaxed matching of a configured name
 * against them and the nearest known name for one that matches none.
 * <p>
 * A name is a list of elements. Besides literal elements there are three wildcards: {@link #ONE}
 * (a key of a map of nested objects, such as the job name in {@code jobs.overrides.<job>.*}),
 * {@link #REST} (the keys of a map of plain values, such as {@code grouping-key.*}) and
 * {@link #INDEX} (an index into a list).
 */
final class KnownPropertyNames {

	private static final String ONE = "<name>";

	private static final String REST = "<key>";

	private static final String INDEX = "[0]";

	private final ConfigurationPropertyName prefix;

	private final List<List<String>> names;

	private KnownPropertyNames(ConfigurationPropertyName prefix, List<List<String>> names) {
		this.prefix = prefix;
		this.names = names;
	}

	/**
	 * Reads the names bound by a properties class and its nested classes.
	 * @param prefix the class's prefix, such as {@code batch.pushgateway}
	 * @param type the properties class
	 * @param extra further names, relative to the prefix, that something else reads
	 * @return the known names
	 */
	static KnownPropertyNames of(String prefix, Class<?> type, String... extra) {
		Assert.notNull(type, "'type' must not be null");
		List<List<String>> names = new ArrayList<>();
		collectBean(new ArrayList<>(), ResolvableType.forClass(type), type.getPackageName(), names);
		for (String name : extra) {
			names.add(List.of(name.split("\\.")));
		}
		return new KnownPropertyNames(ConfigurationPropertyName.of(prefix), names);
	}

	private static void collectBean(List<String> path, ResolvableType type, String packageName,
			List<List<String>> into) {
		Class<?> beanClass = type.resolve(Object.class);
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(beanClass)) {
			if (descriptor.getReadMethod() == null || descriptor.getName().equals("class")) {
				continue;
			}
			List<String> name = append(path, dashed(descriptor.getName()));
			collectProperty(name, ResolvableType.forMethodReturnType(descriptor.getReadMethod(), beanClass),
					packageName, into);
		}
	}

	private static void collectProperty(List<String> name, ResolvableType type, String packageName,
			List<List<String>> into) {
		Class<?> raw = type.resolve(Object.class);
		if (isNested(raw, packageName)) {
			collectBean(name, type, packageName, into);
		}
		else if (Map.class.isAssignableFrom(raw)) {
			ResolvableType value = type.asMap().getGeneric(1);
			if (isNested(value.resolve(Object.class), packageName)) {
				collectBean(append(name, ONE), value, packageName, into);
			}
			else {
				into.add(append(name, REST));
			}
		}
		else {
			into.add(name);
			if (Collection.class.isAssignableFrom(raw) || raw.isArray()) {
				into.add(append(name, INDEX));
			}
		}
	}

	private static boolean isNested(Class<?> type, String packageName) {
		return type.getPackageName().equals(packageName) && !type.isEnum();
	}

	private static List<String> append(List<String> path, String element) {
		List<String> name = new ArrayList<>(path);
		name.add(element);
		return name;
	}

	private static String dashed(String javaName) {
		return javaName.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

	/**
	 * Returns whether a configured name is one the properties class binds.
	 * @param name a name under the prefix
	 * @param environmentVariable whether it comes from an environment variable, where
	 * {@code MAX_RETRIES} binds {@code max-retries}
	 * @return whether the name is known
	 */
	boolean isKnown(ConfigurationPropertyName name, boolean environmentVariable) {
		List<String> elements = relativeElements(name);
		List<Boolean> indexed = new ArrayList<>();
		for (int i = this.prefix.getNumberOfElements(); i < name.getNumberOfElements(); i++) {
			indexed.add(name.isNumericIndex(i));
		}
		return this.names.stream().anyMatch((known) -> matches(elements, indexed, 0, known, 0, environmentVariable));
	}

	private static boolean matches(List<String> elements, List<Boolean> indexed, int i, List<String> known, int j,
			boolean environmentVariable) {
		if (j == known.size()) {
			return i == elements.size();
		}
		if (i == elements.size()) {
			return false;
		}
		String element = known.get(j);
		if (element.equals(REST)) {
			return true;
		}
		if (element.equals(ONE)) {
			return matches(elements, indexed, i + 1, known, j + 1, environmentVariable);
		}
		if (element.equals(INDEX)) {
			return indexed.get(i) && matches(elements, indexed, i + 1, known, j + 1, environmentVariable);
		}
		String expected = uniform(element);
		StringBuilder joined = new StringBuilder();
		int last = environmentVariable ? elements.size() : i + 1;
		for (int k = i; k < last && joined.length() < expected.length(); k++) {
			joined.append(elements.get(k));
			if (joined.toString().equals(expected)
					&& matches(elements, indexed, k + 1, known, j + 1, environmentVariable)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Returns the known name nearest to an unknown one, with the unknown name's own map keys in
	 * place of the wildcards: a known name the unknown one begins (a name cut short), else the
	 * one at the least edit distance.
	 * @param name a name under the prefix that is not known
	 * @return the nearest known name, in its canonical form with the prefix
	 */
	String nearest(ConfigurationPropertyName name) {
		List<String> original = new ArrayList<>();
		for (int i = this.prefix.getNumberOfElements(); i < name.getNumberOfElements(); i++) {
			original.add(name.getElement(i, Form.ORIGINAL));
		}
		String unknown = uniformName(relativeElements(name));
		return this.names.stream()
			.map((known) -> concrete(known, original))
			.min(Comparator.comparing((List<String> candidate) -> !uniformName(candidate).startsWith(unknown))
				.thenComparingInt((candidate) -> distance(unknown, uniformName(candidate))))
			.map((candidate) -> this.prefix + "." + String.join(".", candidate))
			.orElseThrow();
	}

	private static List<String> concrete(List<String> known, List<String> original) {
		List<String> concrete = new ArrayList<>();
		for (int j = 0; j < known.size(); j++) {
			String element = known.get(j);
			if (element.equals(REST)) {
				concrete.add((j < original.size()) ? String.join(".", original.subList(j, original.size())) : REST);
			}
			else if (element.equals(ONE)) {
				concrete.add((j < original.size()) ? original.get(j) : ONE);
			}
			else if (element.equals(INDEX) && !concrete.isEmpty()) {
				concrete.set(concrete.size() - 1, concrete.get(concrete.size() - 1) + INDEX);
			}
			else {
				concrete.add(element);
			}
		}
		return concrete;
	}

	private List<String> relativeElements(ConfigurationPropertyName name) {
		List<String> elements = new ArrayList<>();
		for (int i = this.prefix.getNumberOfElements(); i < name.getNumberOfElements(); i++) {
			elements.add(name.getElement(i, Form.UNIFORM));
		}
		return elements;
	}

	private static String uniformName(List<String> elements) {
		return elements.stream().map(KnownPropertyNames::uniform).collect(Collectors.joining("."));
	}

	private static String uniform(String element) {
		return element.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9\\[\\]<>.]", "");
	}

	private static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

}
