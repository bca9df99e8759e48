package io.github.batchpushgateway.autoconfigure;

import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.boot.util.LambdaSafe;
import org.springframework.util.ClassUtils;

/**
 * Gives each job execution's meter registry what Spring Boot gives the application's own: its
 * {@code MeterRegistryCustomizer} beans whose type fits (common tags set in code), then its
 * {@link MeterFilter} beans (among them Boot's {@code management.metrics.*} filter: common tags,
 * enabling, distribution settings), in the same order Boot applies them. Its meter binders are
 * not applied: JVM and system metrics describe the process, not one job's run.
 */
final class ApplicationMeterSettings implements Consumer<MeterRegistry> {

	private static final boolean CUSTOMIZERS_PRESENT = ClassUtils.isPresent(
			"org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer",
			ApplicationMeterSettings.class.getClassLoader());

	private final ListableBeanFactory beans;

	private final ObjectProvider<MeterFilter> filters;

	ApplicationMeterSettings(ListableBeanFactory beans, ObjectProvider<MeterFilter> filters) {
		this.beans = beans;
		this.filters = filters;
	}

	@Override
	public void accept(MeterRegistry registry) {
		if (CUSTOMIZERS_PRESENT) {
			Customizers.apply(this.beans, registry);
		}
		this.filters.orderedStream().forEach(registry.config()::meterFilter);
	}

	/** Loaded only where Boot's metrics module is. */
	private static final class Customizers {

		@SuppressWarnings("unchecked")
		static void apply(ListableBeanFactory beans, MeterRegistry registry) {
			LambdaSafe.callbacks(MeterRegistryCustomizer.class,
					beans.getBeanProvider(MeterRegistryCustomizer.class).orderedStream().toList(), registry)
				.invoke((customizer) -> customizer.customize(registry));
		}

	}

}
