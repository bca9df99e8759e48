package io.github.batchpushgateway.batch;

import java.time.Duration;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.util.Assert;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.function.SingletonSupplier;

/**
 * A retry policy built when a failed push first asks for it. A push that succeeds never asks, so
 * the cold process of a short job whose pushes succeed loads none of the retry policy's classes
 * (its builder, the policy, the back-off and the exception filters, and their lambdas). The
 * settings it is built from are checked at startup, so building it late fails nothing that
 * building it early would have caught.
 */
final class DeferredRetryPolicy implements RetryPolicy {

	private final SingletonSupplier<RetryPolicy> policy;

	/**
	 * Creates a policy that builds its delegate at its first use.
	 * @param policy builds the delegate, called once
	 */
	DeferredRetryPolicy(Supplier<RetryPolicy> policy) {
		Assert.notNull(policy, "'policy' must not be null");
		this.policy = SingletonSupplier.of(policy);
	}

	@Override
	public boolean shouldRetry(Throwable throwable) {
		return this.policy.obtain().shouldRetry(throwable);
	}

	@Override
	public @Nullable Duration getTimeout() {
		return this.policy.obtain().getTimeout();
	}

	@Override
	public BackOff getBackOff() {
		return this.policy.obtain().getBackOff();
	}

}
