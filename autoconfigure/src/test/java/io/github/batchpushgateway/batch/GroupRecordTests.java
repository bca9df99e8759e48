package io.github.batchpushgateway.batch;

import io.github.batchpushgateway.push.PushGroup;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link GroupRecord}.
 */
class GroupRecordTests {

	private static final PushGroup GROUP = PushGroup.of("importJob");

	private final GroupRecord record = new GroupRecord(GROUP, "importJob");

	@Test
	void addedExecutionsAreListedUntilTaken() {
		// given
		TrackedExecution first = new TrackedExecution(Executions.running("importJob"), GROUP);
		TrackedExecution second = new TrackedExecution(Executions.running("importJob"), GROUP);
		assertThat(this.record.hasExecutions()).isFalse();
		// when
		this.record.add(first);
		this.record.add(second);
		this.record.taken(first);
		// then
		assertThat(this.record.executions()).containsExactly(second);
		assertThat(this.record.hasExecutions()).isTrue();
		assertThat(this.record.endedRecently(first.execution.getId())).isTrue();
		assertThat(this.record.endedRecently(second.execution.getId())).isFalse();
	}

	@Test
	void executionsIsACopy() {
		this.record.add(new TrackedExecution(Executions.running("importJob"), GROUP));

		this.record.executions().clear();

		assertThat(this.record.executions()).hasSize(1);
	}

	@Test
	void recentlyEndedKeepsTheLast32() {
		// given
		TrackedExecution[] taken = new TrackedExecution[33];
		for (int i = 0; i < taken.length; i++) {
			taken[i] = new TrackedExecution(Executions.running("importJob"), GROUP);
			this.record.add(taken[i]);
		}
		// when
		for (TrackedExecution execution : taken) {
			this.record.taken(execution);
		}
		// then
		assertThat(this.record.endedRecently(taken[0].execution.getId())).isFalse();
		for (int i = 1; i < taken.length; i++) {
			assertThat(this.record.endedRecently(taken[i].execution.getId())).isTrue();
		}
		assertThat(this.record.hasExecutions()).isFalse();
	}

}
