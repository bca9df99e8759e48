package io.github.batchpushgateway.batch;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.core.Ordered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoMoreInteractions;

/**
 * Tests for {@link JobPushListener}.
 */
class JobPushListenerTests {

	private final JobEventRecorder recorder = mock(JobEventRecorder.class);

	private final AtomicInteger lookups = new AtomicInteger();

	private final JobPushListener listener = new JobPushListener(() -> {
		this.lookups.incrementAndGet();
		return this.recorder;
	});

	@Test
	void beforeJobRecordsTheStart() {
		JobExecution execution = Executions.running("importJob");

		this.listener.beforeJob(execution);

		then(this.recorder).should().jobStarted(execution);
		verifyNoMoreInteractions(this.recorder);
	}

	@Test
	void afterJobRecordsTheEnd() {
		JobExecution execution = Executions.running("importJob");

		this.listener.afterJob(execution);

		then(this.recorder).should().jobEnded(execution);
		verifyNoMoreInteractions(this.recorder);
	}

	@Test
	void recorderIsLookedUpAtTheFirstEventNotBefore() {
		assertThat(this.lookups).hasValue(0);

		this.listener.beforeJob(Executions.running("importJob"));

		assertThat(this.lookups).hasValue(1);
	}

	@Test
	void runsFirstBeforeTheJobAndLastAfterIt() {
		assertThat(this.listener.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE);
	}

}
