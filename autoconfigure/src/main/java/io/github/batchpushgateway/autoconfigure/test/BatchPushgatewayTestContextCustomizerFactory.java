package io.github.batchpushgateway.autoconfigure.test;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * {@link ContextCustomizerFactory} that switches pushing off in tests, as Spring Boot's
 * {@code MetricsContextCustomizerFactory} does for metrics export, unless the test class is
 * annotated with {@link AutoConfigureBatchPushgateway} or sets {@value #PUSH_PROPERTY}.
 */
final class BatchPushgatewayTestContextCustomizerFactory implements ContextCustomizerFactory {

	static final String PUSH_PROPERTY = "batch.pushgateway.test.push";

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return new DisablePushContextCustomizer(
				TestContextAnnotationUtils.findMergedAnnotation(testClass, AutoConfigureBatchPushgateway.class));
	}

	private static final class DisablePushContextCustomizer implements ContextCustomizer {

		private final @Nullable AutoConfigureBatchPushgateway annotation;

		DisablePushContextCustomizer(@Nullable AutoConfigureBatchPushgateway annotation) {
			this.annotation = annotation;
		}

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
			if (!pushes(context.getEnvironment())) {
				// First, so that neither application.yml nor environment variables switch it on.
				context.getEnvironment()
					.getPropertySources()
					.addFirst(new MapPropertySource("batchPushgatewayTestDefaults",
							Map.of("batch.pushgateway.enabled", "false")));
			}
		}

		private boolean pushes(Environment environment) {
			if (this.annotation != null) {
				return this.annotation.push();
			}
			return environment.getProperty(PUSH_PROPERTY, Boolean.class, false);
		}

		@Override
		public boolean equals(@Nullable Object other) {
			if (this == other) {
				return true;
			}
			if (other == null || getClass() != other.getClass()) {
				return false;
			}
			return Objects.equals(this.annotation, ((DisablePushContextCustomizer) other).annotation);
		}

		@Override
		public int hashCode() {
			return Objects.hashCode(this.annotation);
		}

	}

}
