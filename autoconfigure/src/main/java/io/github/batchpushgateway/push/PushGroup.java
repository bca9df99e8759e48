package io.github.batchpushgateway.push;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.util.Assert;

/**
 * A Pushgateway group: the {@code job} label and the grouping key. Every push replaces the whole
 * group, so one stable group per job keeps the gateway's series bounded however many runs happen.
 *
 * @param job the value of the {@code job} label
 * @param groupingKey further labels of the group, in URL order
 */
public record PushGroup(String job, Map<String, String> groupingKey) {

	/**
	 * Creates a group.
	 * @param job the value of the {@code job} label
	 * @param groupingKey further labels of the group, in URL order
	 */
	public PushGroup {
		Assert.notNull(job, "'job' must not be null");
		Assert.notNull(groupingKey, "'groupingKey' must not be null");
		groupingKey = Collections.unmodifiableMap(new LinkedHashMap<>(groupingKey));
	}

	/**
	 * Creates a group with no labels but {@code job}.
	 * @param job the value of the {@code job} label
	 * @return the group
	 */
	public static PushGroup of(String job) {
		return new PushGroup(job, Map.of());
	}

	@Override
	public String toString() {
		return (this.groupingKey.isEmpty()) ? "job=" + this.job : "job=" + this.job + " " + this.groupingKey;
	}

}
