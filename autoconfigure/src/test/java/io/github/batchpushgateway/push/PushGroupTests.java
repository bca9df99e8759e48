package io.github.batchpushgateway.push;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link PushGroup}.
 */
class PushGroupTests {

	@Test
	void ofHasNoGroupingKey() {
		PushGroup group = PushGroup.of("import");

		assertThat(group.job()).isEqualTo("import");
		assertThat(group.groupingKey()).isEmpty();
		assertThat(group).hasToString("job=import");
	}

	@Test
	void groupingKeyKeepsItsOrder() {
		Map<String, String> key = new LinkedHashMap<>();
		key.put("zone", "b");
		key.put("app", "a");

		PushGroup group = new PushGroup("import", key);

		assertThat(group.groupingKey().keySet()).containsExactly("zone", "app");
		assertThat(group).hasToString("job=import {zone=b, app=a}");
	}

	@Test
	void groupingKeyIsACopyThatCannotBeChanged() {
		// given
		Map<String, String> key = new HashMap<>(Map.of("region", "eu"));
		PushGroup group = new PushGroup("import", key);
		// when
		key.put("region", "us");
		// then
		assertThat(group.groupingKey()).containsExactly(Map.entry("region", "eu"));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> group.groupingKey().put("other", "x"));
	}

	@Test
	void groupsWithTheSameJobAndKeyAreEqual() {
		assertThat(new PushGroup("import", Map.of("region", "eu")))
			.isEqualTo(new PushGroup("import", new HashMap<>(Map.of("region", "eu"))))
			.hasSameHashCodeAs(new PushGroup("import", Map.of("region", "eu")))
			.isNotEqualTo(new PushGroup("import", Map.of("region", "us")))
			.isNotEqualTo(PushGroup.of("import"));
	}

	@Test
	void jobAndGroupingKeyAreRequired() {
		assertThatIllegalArgumentException().isThrownBy(() -> new PushGroup(null, Map.of()))
			.withMessageContaining("'job'");
		assertThatIllegalArgumentException().isThrownBy(() -> new PushGroup("import", null))
			.withMessageContaining("'groupingKey'");
	}

}
