package io.github.batchpushgateway.batch;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.step.StepExecution;
import org.springframework.core.Ordered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoMoreInteractions;

/**
 * Tests for {@link StepPushListener}.
 */
class StepPushListenerTests {

	private final JobEventRecorder recorder = mock(JobEventRecorder.class);

	private final StepPushListener listener = new StepPushListener(() -> this.recorder);

	@Test
	void afterStepRecordsTheStepsEndAndLeavesItsExitStatusAlone() {
		StepExecution step = Executions.step(Executions.running("importJob"), "load");

		assertThat(this.listener.afterStep(step)).isNull();

		then(this.recorder).should().stepEnded(step);
		verifyNoMoreInteractions(this.recorder);
	}

	@Test
	void beforeStepOnlyNotesThatTheStepRunsHere() {
		StepExecution step = Executions.step(Executions.running("importJob"), "load");

		this.listener.beforeStep(step);

		then(this.recorder).should().stepStarted(step);
		verifyNoMoreInteractions(this.recorder);
	}

	@Test
	void hasHighestPrecedence() {
		assertThat(this.listener.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE);
	}

}
