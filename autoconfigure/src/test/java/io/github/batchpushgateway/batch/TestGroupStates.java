package io.github.batchpushgateway.batch;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.batchpushgateway.metrics.JobMetricsSnapshotFactory;
import io.github.batchpushgateway.metrics.JobSchedule;
import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.repository.JobRepository;

/**
 * Builds {@link GroupStates} for tests of the parts around them: no grouping, ten groups per job,
 * no contributors, a 10 s progress interval.
 */
final class TestGroupStates {

	private TestGroupStates() {
	}

	static GroupStates of(@Nullable JobRepository repository) {
		return of(new PushGroupResolver(Map.of(), List.of()), 10, repository);
	}

	static GroupStates of(PushGroupResolver resolver, int maxGroupsPerJob, @Nullable JobRepository repository) {
		return new GroupStates(resolver, maxGroupsPerJob, new JobRepositoryReads(repository, resolver, 0),
				new JobMetricsSnapshotFactory(List::of), (job) -> new JobSchedule(Duration.ofSeconds(10), null),
				Clock.systemUTC());
	}

}
