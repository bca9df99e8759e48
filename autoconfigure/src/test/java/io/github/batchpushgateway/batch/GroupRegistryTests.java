package io.github.batchpushgateway.batch;

import java.util.List;
import java.util.Map;

import io.github.batchpushgateway.push.PushGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link GroupRegistry}.
 */
@ExtendWith(OutputCaptureExtension.class)
class GroupRegistryTests {

	private final GroupRegistry groups = new GroupRegistry(
			new PushGroupResolver(Map.of("env", "prod"), List.of("batch.id")), 2);

	@Test
	void executionsWithTheSameGroupingValuesShareOneRecord() {
		GroupRecord first = this.groups.recordOf(Executions.running("importJob", "batch.id", "7"));
		GroupRecord second = this.groups.recordOf(Executions.running("importJob", "batch.id", "7"));

		assertThat(second).isSameAs(first);
		assertThat(first.group).isEqualTo(new PushGroup("importJob", Map.of("env", "prod", "batch_id", "7")));
	}

	@Test
	void pastTheCapNewValuesShareTheJobsOverflowGroupAndAWarnSaysSoOnce(CapturedOutput output) {
		this.groups.recordOf(Executions.running("importJob", "batch.id", "1"));
		this.groups.recordOf(Executions.running("importJob", "batch.id", "2"));

		GroupRecord third = this.groups.recordOf(Executions.running("importJob", "batch.id", "3"));
		GroupRecord fourth = this.groups.recordOf(Executions.running("importJob", "batch.id", "4"));

		assertThat(fourth).isSameAs(third);
		assertThat(third.group.groupingKey()).containsEntry("batch_id", PushGroupResolver.OVERFLOW)
			.containsEntry("env", "prod");
		assertThat(this.groups.all()).hasSize(3);
		assertThat(output.getOut().split("max-groups-per-job", -1)).hasSize(2);
	}

	@Test
	void theCapCountsGroupsPerJob() {
		this.groups.recordOf(Executions.running("importJob", "batch.id", "1"));
		this.groups.recordOf(Executions.running("importJob", "batch.id", "2"));

		GroupRecord otherJob = this.groups.recordOf(Executions.running("exportJob", "batch.id", "1"));

		assertThat(otherJob.group.groupingKey()).containsEntry("batch_id", "1");
	}

	@Test
	void aSecondStartOfTheSameExecutionDoesNotTrackItTwice() {
		var execution = Executions.running("importJob", "batch.id", "1");

		TrackedExecution first = this.groups.track(execution);
		TrackedExecution second = this.groups.track(execution);

		assertThat(second).isSameAs(first);
		assertThat(this.groups.get(first.group).executions()).hasSize(1);
	}

	@Test
	void aTrackedExecutionIsForgottenOnceTheSendingSideTookItIn() {
		var execution = Executions.running("importJob", "batch.id", "1");
		TrackedExecution tracked = this.groups.track(execution);
		GroupRecord record = this.groups.get(tracked.group);

		this.groups.taken(record, tracked);

		assertThat(this.groups.tracked(execution)).isNull();
		assertThat(record.hasExecutions()).isFalse();
		assertThat(record.endedRecently(execution.getId())).isTrue();
	}

}
