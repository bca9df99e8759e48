package io.github.batchpushgateway.micrometer;

import java.util.function.Predicate;
import java.util.function.Supplier;

import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.step.AbstractStep;
import org.springframework.batch.core.step.Step;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.Assert;

/**
 * Makes Spring Batch's observations of pushed jobs reach a handler. The handler is registered on
 * every {@link ObservationRegistry} bean. Spring Batch gives that registry to job and step beans
 * ({@code BatchObservabilityBeanPostProcessor}), but not to steps built inline in a job or flow,
 * which keep a registry that observes nothing: the steps of every pushed job get the
 * application's registry here too, when it has exactly one.
 *
 * <p>Internal; not an extension point: public only for the starter's other packages, and may
 * change in any release.
 */
public final class BatchObservationRegistrar implements BeanPostProcessor {

	private final ObservationHandler<?> handler;

	private final Predicate<String> pushedJobs;

	private final Supplier<@Nullable ObservationRegistry> registry;

	/**
	 * Creates a registrar whose handler records into the given meters.
	 * @param meters the meters of the running executions, looked up at the first observation so
	 * that creating the registrar early creates nothing else
	 * @param pushedJobs whether a job, by name, is pushed
	 * @param registry the application's observation registry, looked up when a pushed job is
	 * initialized; {@code null} when it has none or several
	 */
	public BatchObservationRegistrar(Supplier<BatchMeters> meters, Predicate<String> pushedJobs,
			Supplier<@Nullable ObservationRegistry> registry) {
		this(new ChunkObservationHandler(meters), pushedJobs, registry);
	}

	BatchObservationRegistrar(ObservationHandler<?> handler, Predicate<String> pushedJobs,
			Supplier<@Nullable ObservationRegistry> registry) {
		Assert.notNull(handler, "'handler' must not be null");
		Assert.notNull(pushedJobs, "'pushedJobs' must not be null");
		Assert.notNull(registry, "'registry' must not be null");
		this.handler = handler;
		this.pushedJobs = pushedJobs;
		this.registry = registry;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof ObservationRegistry observationRegistry) {
			observationRegistry.observationConfig().observationHandler(this.handler);
		}
		else if (bean instanceof AbstractJob job && this.pushedJobs.test(job.getName())) {
			observeSteps(job);
		}
		return bean;
	}

	private void observeSteps(AbstractJob job) {
		ObservationRegistry observationRegistry = this.registry.get();
		if (observationRegistry == null) {
			return;
		}
		for (String stepName : job.getStepNames()) {
			Step step = job.getStep(stepName);
			if (step instanceof AbstractStep abstractStep) {
				abstractStep.setObservationRegistry(observationRegistry);
			}
		}
	}

}
