package io.github.batchpushgateway.batch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.batchpushgateway.push.PushGroup;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PushGroupResolver}.
 */
class PushGroupResolverTests {

	@Test
	void withoutGroupingTheGroupIsTheJobAlone() {
		PushGroupResolver resolver = new PushGroupResolver(Map.of(), List.of());

		assertThat(resolver.resolve(Executions.running("importJob"))).isEqualTo(PushGroup.of("importJob"));
		assertThat(resolver.hasGroupingParameters()).isFalse();
	}

	@Test
	void withoutGroupingParametersEachJobsGroupIsMadeOnceWithTheStaticKey() {
		PushGroupResolver resolver = new PushGroupResolver(Map.of("env", "prod"), List.of());

		PushGroup first = resolver.resolve(Executions.running("importJob"));
		PushGroup second = resolver.resolve(Executions.running("importJob"));
		PushGroup other = resolver.resolve(Executions.running("exportJob"));

		assertThat(first).isEqualTo(new PushGroup("importJob", Map.of("env", "prod")));
		// The job's start looks its group up rather than building it at every event.
		assertThat(second).isSameAs(first);
		assertThat(other).isEqualTo(new PushGroup("exportJob", Map.of("env", "prod")));
	}

	@Test
	void staticKeyComesFirstThenParameterValues() {
		// given
		Map<String, String> key = new LinkedHashMap<>();
		key.put("env", "prod");
		key.put("app", "billing");
		PushGroupResolver resolver = new PushGroupResolver(key, List.of("region", "tenant"));
		JobExecution execution = Executions.running("importJob",
				new JobParametersBuilder().addString("tenant", "acme").addString("region", "eu").addLong("run.id", 7L)
					.toJobParameters());
		// when
		PushGroup group = resolver.resolve(execution);
		// then
		assertThat(group.job()).isEqualTo("importJob");
		assertThat(group.groupingKey()).containsExactly(Map.entry("env", "prod"), Map.entry("app", "billing"),
				Map.entry("region", "eu"), Map.entry("tenant", "acme"));
		assertThat(resolver.hasGroupingParameters()).isTrue();
	}

	@Test
	void nonStringParameterValuesAreShownAsText() {
		PushGroupResolver resolver = new PushGroupResolver(Map.of(), List.of("shard"));

		PushGroup group = resolver
			.resolve(Executions.running("importJob", new JobParametersBuilder().addLong("shard", 3L).toJobParameters()));

		assertThat(group.groupingKey()).containsExactly(Map.entry("shard", "3"));
	}

	@Test
	void missingParameterGivesAnEmptyValue() {
		PushGroupResolver resolver = new PushGroupResolver(Map.of(), List.of("region"));

		PushGroup group = resolver.resolve(Executions.running("importJob"));

		assertThat(group.groupingKey()).containsExactly(Map.entry("region", ""));
	}

	@Test
	void labelNamesAreMadeFromParameterNames() {
		PushGroupResolver resolver = new PushGroupResolver(Map.of(), List.of("run.region"));

		PushGroup group = resolver.resolve(Executions.running("importJob", "run.region", "eu"));

		assertThat(group.groupingKey()).containsExactly(Map.entry("run_region", "eu"));
	}

	@Test
	void labelNameReplacesEveryCharacterALabelCannotHold() {
		assertThat(PushGroupResolver.labelName("run.region")).isEqualTo("run_region");
		assertThat(PushGroupResolver.labelName("tenant-id")).isEqualTo("tenant_id");
		assertThat(PushGroupResolver.labelName("1st")).isEqualTo("_st");
		assertThat(PushGroupResolver.labelName("shard2")).isEqualTo("shard2");
		assertThat(PushGroupResolver.labelName("Valid_Name")).isEqualTo("Valid_Name");
		assertThat(PushGroupResolver.labelName("région")).isEqualTo("r_gion");
	}

	@Test
	void overflowGroupHoldsTheOverflowValueInEveryParameterLabel() {
		// given
		PushGroupResolver resolver = new PushGroupResolver(Map.of("env", "prod"), List.of("run.region", "tenant"));
		JobExecution execution = Executions.running("importJob", "run.region", "eu");
		// when
		PushGroup overflow = resolver.overflow(execution);
		// then
		assertThat(overflow.job()).isEqualTo("importJob");
		assertThat(overflow.groupingKey()).containsExactly(Map.entry("env", "prod"),
				Map.entry("run_region", PushGroupResolver.OVERFLOW), Map.entry("tenant", PushGroupResolver.OVERFLOW));
		assertThat(overflow).isNotEqualTo(resolver.resolve(execution));
	}

	@Test
	void laterChangesToTheGivenKeyAndParametersHaveNoEffect() {
		Map<String, String> key = new LinkedHashMap<>(Map.of("env", "prod"));
		PushGroupResolver resolver = new PushGroupResolver(key, List.of());

		key.put("env", "test");

		assertThat(resolver.resolve(Executions.running("importJob")).groupingKey())
			.containsExactly(Map.entry("env", "prod"));
	}

}
