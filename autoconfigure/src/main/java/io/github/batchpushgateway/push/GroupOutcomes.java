package io.github.batchpushgateway.push;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The outcomes a target already holds for a group, read back before the group's first push in
 * this JVM: with an in-memory job repository they are the only memory of earlier runs.
 *
 * @param lastSuccess the group's last success, {@code null} when the target holds none
 * @param lastFailure the group's last failure, {@code null} when the target holds none
 */
public record GroupOutcomes(@Nullable Instant lastSuccess, @Nullable Instant lastFailure) {

	/** A target that holds nothing for the group. */
	public static final GroupOutcomes NONE = new GroupOutcomes(null, null);

}
