package io.github.batchpushgateway.batch;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.step.AbstractStep;
import org.springframework.batch.core.step.Step;

import static io.github.batchpushgateway.batch.MockJobs.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * Tests for {@link BatchPushListenerRegistrar}, with mocked jobs and steps.
 */
class BatchPushListenerRegistrarTests {

	private final JobPushListener jobListener = new JobPushListener(() -> {
		throw new AssertionError("not called here");
	});

	private final StepPushListener stepListener = new StepPushListener(() -> {
		throw new AssertionError("not called here");
	});

	private final BatchPushListenerRegistrar registrar = new BatchPushListenerRegistrar(
			new JobNameFilter(List.of("*"), List.of("excluded*")), this.jobListener, this.stepListener);

	@Test
	void includedJobGetsTheJobListenerAndItsStepsTheStepListener() {
		// given
		AbstractStep inline = mock(AbstractStep.class);
		Step other = mock(Step.class);
		AbstractJob job = job("importJob", inline, other);
		// when
		Object processed = this.registrar.postProcessAfterInitialization(job, "importJob");
		// then
		assertThat(processed).isSameAs(job);
		then(job).should().registerJobExecutionListener(this.jobListener);
		then(inline).should().registerStepExecutionListener(this.stepListener);
	}

	@Test
	void aJobThatIsNotABeanIsRegisteredByOneCall() {
		AbstractStep inline = mock(AbstractStep.class);
		AbstractJob job = job("runtimeJob", inline);

		boolean pushing = this.registrar.register(job);

		assertThat(pushing).isTrue();
		then(job).should().registerJobExecutionListener(this.jobListener);
		then(inline).should().registerStepExecutionListener(this.stepListener);
	}

	@Test
	void aJobThatIsNotABeanIsFilteredByItsName() {
		AbstractJob job = job("excludedRuntimeJob");

		boolean pushing = this.registrar.register(job);

		assertThat(pushing).isFalse();
		then(job).should(never()).registerJobExecutionListener(any());
	}

	@Test
	void aJobOfAnotherKindIsRefusedWithItsName() {
		Job job = mock(Job.class);
		given(job.getName()).willReturn("customJob");

		assertThatIllegalArgumentException().isThrownBy(() -> this.registrar.register(job))
			.withMessageContaining("customJob")
			.withMessageContaining("not an AbstractJob");
	}

	@Test
	void excludedJobAndItsStepsAreLeftUntouched() {
		// given
		AbstractStep inline = mock(AbstractStep.class);
		AbstractJob job = job("excludedJob", inline);
		// when
		Object processed = this.registrar.postProcessAfterInitialization(job, "excludedJob");
		// then
		assertThat(processed).isSameAs(job);
		then(job).should(never()).registerJobExecutionListener(any());
		verifyNoInteractions(inline);
	}

	@Test
	void jobIsMatchedByItsNameNotItsBeanName() {
		AbstractJob job = job("excludedJob");

		this.registrar.postProcessAfterInitialization(job, "importJob");

		then(job).should(never()).registerJobExecutionListener(any());
	}

	@Test
	void stepBeanGetsTheStepListener() {
		AbstractStep step = mock(AbstractStep.class);

		Object processed = this.registrar.postProcessAfterInitialization(step, "importStep");

		assertThat(processed).isSameAs(step);
		then(step).should().registerStepExecutionListener(this.stepListener);
	}

	@Test
	void otherBeansAreReturnedAsTheyAre() {
		Object bean = new Object();

		assertThat(this.registrar.postProcessAfterInitialization(bean, "bean")).isSameAs(bean);
	}

}
