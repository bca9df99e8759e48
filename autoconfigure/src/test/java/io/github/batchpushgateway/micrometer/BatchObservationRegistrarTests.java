package io.github.batchpushgateway.micrometer;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.step.AbstractStep;
import org.springframework.batch.core.step.Step;

import static io.github.batchpushgateway.batch.MockJobs.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * Tests for {@link BatchObservationRegistrar}, with mocked jobs and steps.
 */
class BatchObservationRegistrarTests {

	private final List<String> observed = new ArrayList<>();

	private final ObservationHandler<Observation.Context> handler = new ObservationHandler<>() {

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

		@Override
		public void onStart(Observation.Context context) {
			BatchObservationRegistrarTests.this.observed.add(context.getName());
		}

	};

	private final ObservationRegistry applicationRegistry = ObservationRegistry.create();

	private final BatchObservationRegistrar registrar = new BatchObservationRegistrar(this.handler,
			(jobName) -> !jobName.startsWith("excluded"), () -> this.applicationRegistry);

	@Test
	void everyObservationRegistryBeanGetsTheHandler() {
		ObservationRegistry registry = ObservationRegistry.create();

		Object processed = this.registrar.postProcessAfterInitialization(registry, "observationRegistry");
		Observation.start("spring.batch.item.read", registry).stop();

		assertThat(processed).isSameAs(registry);
		assertThat(this.observed).containsExactly("spring.batch.item.read");
	}

	@Test
	void stepsOfAPushedJobGetTheApplicationsRegistry() {
		// given a job with a step built inline, which Spring Batch leaves unobserved
		AbstractStep inline = mock(AbstractStep.class);
		Step other = mock(Step.class);
		AbstractJob job = job("importJob", inline, other);
		// when
		Object processed = this.registrar.postProcessAfterInitialization(job, "importJob");
		// then
		assertThat(processed).isSameAs(job);
		then(inline).should().setObservationRegistry(this.applicationRegistry);
	}

	@Test
	void stepsOfAJobThatIsNotPushedAreLeftUntouched() {
		AbstractStep inline = mock(AbstractStep.class);
		AbstractJob job = job("excludedJob", inline);

		this.registrar.postProcessAfterInitialization(job, "excludedJob");

		verifyNoInteractions(inline);
	}

	@Test
	void stepsAreLeftUntouchedWithoutASingleApplicationRegistry() {
		BatchObservationRegistrar withoutRegistry = new BatchObservationRegistrar(this.handler, (jobName) -> true,
				() -> null);
		AbstractStep inline = mock(AbstractStep.class);

		withoutRegistry.postProcessAfterInitialization(job("importJob", inline), "importJob");

		verifyNoInteractions(inline);
	}

	@Test
	void otherBeansAreReturnedAsTheyAre() {
		Object bean = new Object();

		assertThat(this.registrar.postProcessAfterInitialization(bean, "bean")).isSameAs(bean);
	}

}
