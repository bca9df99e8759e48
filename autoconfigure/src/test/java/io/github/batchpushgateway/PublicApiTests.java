package io.github.batchpushgateway;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.batchpushgateway.autoconfigure.BatchPushgatewayAutoConfiguration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the module's public API: the types an application implements, injects or sets, and the
 * types that are public only because another package of the starter uses them. A new public type
 * fails here until it is listed as one or the other, and the configuration reference lists
 * exactly the first kind.
 */
class PublicApiTests {

	private static final String BASE = "io.github.batchpushgateway.";

	private static final String INTERNAL_MARK = "Internal; not an extension point";

	/** Implemented, injected, set or annotated by applications; documented as extension points. */
	private static final Set<String> USER_FACING = Set.of("autoconfigure.BatchPushgatewayProperties",
			"autoconfigure.BatchPushgatewayProperties.Format", "autoconfigure.BatchPushgatewayProperties.Health",
			"autoconfigure.BatchPushgatewayProperties.JobSettings", "autoconfigure.BatchPushgatewayProperties.Jobs",
			"autoconfigure.BatchPushgatewayProperties.Observations", "autoconfigure.BatchPushgatewayProperties.Retry",
			"autoconfigure.BatchPushgatewayProperties.Scheme", "autoconfigure.BatchPushgatewayProperties.Ssl",
			"autoconfigure.BatchPushgatewayProperties.Textfile", "autoconfigure.PushgatewayClientCustomizer",
			"autoconfigure.test.AutoConfigureBatchPushgateway", "batch.BatchPushListenerRegistrar",
			"micrometer.BatchMeters", "metrics.JobMetricsContributor", "push.PushClient", "push.PushGroup",
			"push.GroupOutcomes", "push.PushRejectedException", "push.PushListener", "push.PushgatewayHttpClient",
			"push.PushgatewayHttpClient.Builder", "push.PushgatewayHttpClient.Format", "push.TextfileClient");

	/** Public because Spring Boot requires it of auto-configuration classes. */
	private static final Set<String> AUTO_CONFIGURATIONS = Set.of("autoconfigure.BatchPushgatewayAutoConfiguration",
			"autoconfigure.BatchMetersAutoConfiguration", "autoconfigure.BatchObservationsAutoConfiguration",
			"autoconfigure.BatchPushgatewayHealthContributorAutoConfiguration",
			"autoconfigure.BatchPushgatewayPropertiesCheckAutoConfiguration");

	/** Public only for the starter's other packages; their javadoc says so. */
	private static final Set<String> INTERNAL = Set.of("batch.GracefulStop", "batch.JdbcStepExecutions",
			"batch.JobEventRecorder", "batch.JobNameFilter", "batch.PushGroupResolver", "batch.PushPipeline",
			"batch.PushPipeline.Settings", "metrics.BatchTimes", "metrics.ExecutionSteps",
			"metrics.ExecutionSteps.PartitionSummary", "metrics.JobHistory", "metrics.JobHistory.FinishedRun",
			"metrics.ItemMinimum", "metrics.JobMetricsSnapshotFactory", "metrics.JobSchedule", "metrics.JobState", "metrics.Partitions",
			"metrics.StartSchedule", "metrics.StepSample", "micrometer.BatchObservationRegistrar",
			"push.CompositePushListener", "push.Delivery", "push.FanOutSender", "push.GroupSender",
			"push.GroupStateSource", "push.MicrometerPushListener", "push.OutageLogger", "push.StateSender");

	@Test
	void thePublicTypesAreExactlyTheListedOnes() throws Exception {
		Set<String> expected = new TreeSet<>(USER_FACING);
		expected.addAll(AUTO_CONFIGURATIONS);
		expected.addAll(INTERNAL);

		assertThat(publicTypes()).containsExactlyElementsOf(expected);
	}

	@Test
	void internalTypesSayInTheirJavadocThatTheyAreNoExtensionPointAndUserFacingOnesDoNot() throws IOException {
		for (String type : topLevel(INTERNAL)) {
			assertThat(source(type)).as(type).contains(INTERNAL_MARK);
		}
		Set<String> offered = new TreeSet<>(topLevel(USER_FACING));
		offered.addAll(AUTO_CONFIGURATIONS);
		for (String type : offered) {
			assertThat(source(type)).as(type).doesNotContain(INTERNAL_MARK);
		}
	}

	@Test
	void theConfigurationReferenceListsExactlyTheUserFacingTypesAsExtensionPoints() throws IOException {
		String reference = Files.readString(Path.of("../docs/configuration.md"));
		int start = reference.indexOf("## Extension points");
		assertThat(start).as("the 'Extension points' section of docs/configuration.md").isNotNegative();
		int end = reference.indexOf("\n## ", start + 1);
		String section = reference.substring(start, (end != -1) ? end : reference.length());
		// The first cell of each table row names one type.
		Matcher row = Pattern.compile("(?m)^\\| `@?([A-Za-z]+)`").matcher(section);
		Set<String> listed = new TreeSet<>();
		while (row.find()) {
			listed.add(row.group(1));
		}
		Set<String> expected = new TreeSet<>();
		topLevel(USER_FACING).forEach((type) -> expected.add(simpleName(type)));
		// Named in the contract of PushClient's row rather than in a row of their own.
		expected.removeAll(Set.of("PushGroup", "GroupOutcomes", "PushRejectedException"));

		assertThat(listed).containsExactlyElementsOf(expected);
		assertThat(section).contains("`PushGroup`", "`GroupOutcomes`", "`PushRejectedException`");
		AUTO_CONFIGURATIONS.forEach((type) -> assertThat(section).contains("`" + simpleName(type) + "`"));
	}

	@Test
	void theFrontPageAndTheReferenceForUsersNameNoInternalType() throws IOException {
		for (String page : new String[] { "../README.md", "../docs/configuration.md", "../docs/metrics.md" }) {
			String text = Files.readString(Path.of(page));
			for (String type : INTERNAL) {
				assertThat(text).as(page).doesNotContain("`" + simpleName(type) + "`");
			}
		}
	}

	/**
	 * Every type of the module's compiled classes that code outside the module can name: public,
	 * and nested only in public types.
	 */
	private static Set<String> publicTypes() throws IOException, URISyntaxException, ClassNotFoundException {
		Path classes = Path.of(BatchPushgatewayAutoConfiguration.class.getProtectionDomain()
			.getCodeSource()
			.getLocation()
			.toURI());
		Set<String> types = new TreeSet<>();
		try (Stream<Path> files = Files.walk(classes)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".class")).toList()) {
				String name = classes.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".");
				name = name.substring(0, name.length() - ".class".length());
				if (name.endsWith("package-info")) {
					continue;
				}
				Class<?> type = Class.forName(name, false, PublicApiTests.class.getClassLoader());
				if (isVisibleOutside(type)) {
					assertThat(type.getName()).startsWith(BASE);
					types.add(type.getCanonicalName().substring(BASE.length()));
				}
			}
		}
		return types;
	}

	private static boolean isVisibleOutside(Class<?> type) {
		for (Class<?> enclosing = type; enclosing != null; enclosing = enclosing.getEnclosingClass()) {
			if (!Modifier.isPublic(enclosing.getModifiers()) || enclosing.isAnonymousClass()
					|| enclosing.isLocalClass()) {
				return false;
			}
		}
		return true;
	}

	/** The top-level types of the given ones: a nested type's name goes on after its class's. */
	private static Set<String> topLevel(Set<String> types) {
		Set<String> topLevel = new TreeSet<>();
		for (String type : types) {
			String[] parts = type.split("\\.");
			int first = 0;
			while (!Character.isUpperCase(parts[first].charAt(0))) {
				first++;
			}
			topLevel.add(String.join(".", Arrays.copyOf(parts, first + 1)));
		}
		return topLevel;
	}

	private static String source(String type) throws IOException {
		return Files.readString(Path.of("src/main/java", (BASE + type).replace('.', '/') + ".java"));
	}

	private static String simpleName(String type) {
		return type.substring(type.lastIndexOf('.') + 1);
	}

}
