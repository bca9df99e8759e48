package io.github.batchpushgateway.batch;

import java.util.List;
import java.util.Map;

import io.github.batchpushgateway.push.GroupSender;
import io.github.batchpushgateway.push.PushGroup;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;

/**
 * Tests for {@link Heartbeat}.
 */
class HeartbeatTests {

	private final GroupSender sender = mock(GroupSender.class);

	private final GroupRegistry groups = new GroupRegistry(new PushGroupResolver(Map.of(), List.of()), 10);

	private final Heartbeat heartbeat = new Heartbeat(this.groups, this.sender);

	@Test
	void everyGroupWithARunningExecutionIsPushedAtEveryBeatWhetherItProgressedOrNot() {
		this.groups.track(Executions.running("importJob"));

		this.heartbeat.run();
		this.heartbeat.run();

		then(this.sender).should(times(2)).request(PushGroup.of("importJob"));
	}

	@Test
	void groupsWithNothingRunningAreLeftAlone() {
		JobExecution execution = Executions.running("importJob");
		TrackedExecution tracked = this.groups.track(execution);
		this.groups.taken(this.groups.get(tracked.group), tracked);

		this.heartbeat.run();

		then(this.sender).should(never()).request(PushGroup.of("importJob"));
	}

	@Test
	void anExecutionWhoseAfterJobNeverCameIsEndedAtTheSecondLook() {
		JobExecution execution = Executions.running("importJob");
		TrackedExecution tracked = this.groups.track(execution);
		Executions.ended(execution, BatchStatus.COMPLETED);

		this.heartbeat.run();
		assertThat(tracked.isOver()).isFalse();
		this.heartbeat.run();

		assertThat(tracked.isOver()).isTrue();
	}

}
