package io.github.batchpushgateway.micrometer;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.AbstractMeter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * The meters {@link ExecutionRoutingRegistry} hands out for recording: each recording goes to
 * the meter of the same name and settings in the registry of the execution running on the
 * recording thread, so a meter kept in a field of a singleton records into the run that uses it.
 */
final class RoutedMeters {

	private RoutedMeters() {
	}

	static final class RoutedCounter extends AbstractMeter implements Counter {

		private final Routed<Counter> routed;

		RoutedCounter(Id id, Supplier<@Nullable MeterRegistry> current) {
			super(id);
			this.routed = new Routed<>(id, current, (registry) -> Counter.builder(id.getName())
				.tags(id.getTagsAsIterable())
				.description(id.getDescription())
				.baseUnit(id.getBaseUnit())
				.register(registry));
		}

		@Override
		public void increment(double amount) {
			Counter target = this.routed.target();
			if (target != null) {
				target.increment(amount);
			}
		}

		@Override
		public double count() {
			Counter target = this.routed.target();
			return (target != null) ? target.count() : 0;
		}

	}

	static final class RoutedTimer extends AbstractMeter implements Timer {

		private final Routed<Timer> routed;

		RoutedTimer(Id id, DistributionStatisticConfig config, Supplier<@Nullable MeterRegistry> current) {
			super(id);
			this.routed = new Routed<>(id, current, (registry) -> timer(id, config).register(registry));
		}

		private static Timer.Builder timer(Id id, DistributionStatisticConfig config) {
			Timer.Builder builder = Timer.builder(id.getName())
				.tags(id.getTagsAsIterable())
				.description(id.getDescription())
				.publishPercentileHistogram(config.isPercentileHistogram())
				.percentilePrecision(config.getPercentilePrecision())
				.distributionStatisticExpiry(config.getExpiry())
				.distributionStatisticBufferLength(config.getBufferLength());
			if (config.getPercentiles() != null) {
				builder.publishPercentiles(config.getPercentiles());
			}
			// A timer's distribution settings are in nanoseconds.
			if (config.getServiceLevelObjectiveBoundaries() != null) {
				builder.serviceLevelObjectives(Arrays.stream(config.getServiceLevelObjectiveBoundaries())
					.mapToObj((nanos) -> Duration.ofNanos((long) nanos))
					.toArray(Duration[]::new));
			}
			if (config.getMinimumExpectedValueAsDouble() != null) {
				builder.minimumExpectedValue(Duration.ofNanos(config.getMinimumExpectedValueAsDouble().longValue()));
			}
			if (config.getMaximumExpectedValueAsDouble() != null
					&& config.getMaximumExpectedValueAsDouble() < Long.MAX_VALUE) {
				builder.maximumExpectedValue(Duration.ofNanos(config.getMaximumExpectedValueAsDouble().longValue()));
			}
			return builder;
		}

		@Override
		public void record(long amount, TimeUnit unit) {
			Timer target = this.routed.target();
			if (target != null) {
				target.record(amount, unit);
			}
		}

		@Override
		public <T> T record(Supplier<T> supplier) {
			Timer target = this.routed.target();
			return (target != null) ? target.record(supplier) : supplier.get();
		}

		@Override
		public <T> T recordCallable(Callable<T> callable) throws Exception {
			Timer target = this.routed.target();
			return (target != null) ? target.recordCallable(callable) : callable.call();
		}

		@Override
		public void record(Runnable runnable) {
			Timer target = this.routed.target();
			if (target != null) {
				target.record(runnable);
			}
			else {
				runnable.run();
			}
		}

		@Override
		public long count() {
			Timer target = this.routed.target();
			return (target != null) ? target.count() : 0;
		}

		@Override
		public double totalTime(TimeUnit unit) {
			Timer target = this.routed.target();
			return (target != null) ? target.totalTime(unit) : 0;
		}

		@Override
		public double max(TimeUnit unit) {
			Timer target = this.routed.target();
			return (target != null) ? target.max(unit) : 0;
		}

		@Override
		public TimeUnit baseTimeUnit() {
			return TimeUnit.SECONDS;
		}

		@Override
		public HistogramSnapshot takeSnapshot() {
			Timer target = this.routed.target();
			return (target != null) ? target.takeSnapshot() : HistogramSnapshot.empty(0, 0, 0);
		}

	}

	static final class RoutedDistributionSummary extends AbstractMeter implements DistributionSummary {

		private final Routed<DistributionSummary> routed;

		RoutedDistributionSummary(Id id, DistributionStatisticConfig config, double scale,
				Supplier<@Nullable MeterRegistry> current) {
			super(id);
			this.routed = new Routed<>(id, current, (registry) -> summary(id, config, scale).register(registry));
		}

		private static DistributionSummary.Builder summary(Id id, DistributionStatisticConfig config, double scale) {
			DistributionSummary.Builder builder = DistributionSummary.builder(id.getName())
				.tags(id.getTagsAsIterable())
				.description(id.getDescription())
				.baseUnit(id.getBaseUnit())
				.scale(scale)
				.publishPercentileHistogram(config.isPercentileHistogram())
				.percentilePrecision(config.getPercentilePrecision())
				.minimumExpectedValue(config.getMinimumExpectedValueAsDouble())
				.maximumExpectedValue(config.getMaximumExpectedValueAsDouble())
				.distributionStatisticExpiry(config.getExpiry())
				.distributionStatisticBufferLength(config.getBufferLength());
			if (config.getPercentiles() != null) {
				builder.publishPercentiles(config.getPercentiles());
			}
			if (config.getServiceLevelObjectiveBoundaries() != null) {
				builder.serviceLevelObjectives(config.getServiceLevelObjectiveBoundaries());
			}
			return builder;
		}

		@Override
		public void record(double amount) {
			DistributionSummary target = this.routed.target();
			if (target != null) {
				target.record(amount);
			}
		}

		@Override
		public long count() {
			DistributionSummary target = this.routed.target();
			return (target != null) ? target.count() : 0;
		}

		@Override
		public double totalAmount() {
			DistributionSummary target = this.routed.target();
			return (target != null) ? target.totalAmount() : 0;
		}

		@Override
		public double max() {
			DistributionSummary target = this.routed.target();
			return (target != null) ? target.max() : 0;
		}

		@Override
		public HistogramSnapshot takeSnapshot() {
			DistributionSummary target = this.routed.target();
			return (target != null) ? target.takeSnapshot() : HistogramSnapshot.empty(0, 0, 0);
		}

	}

	static final class RoutedLongTaskTimer extends AbstractMeter implements LongTaskTimer {

		private final Routed<LongTaskTimer> routed;

		private final LongTaskTimer discarding;

		RoutedLongTaskTimer(Id id, Supplier<@Nullable MeterRegistry> current, MeterRegistry discarding) {
			super(id);
			this.routed = new Routed<>(id, current, (registry) -> LongTaskTimer.builder(id.getName())
				.tags(id.getTagsAsIterable())
				.description(id.getDescription())
				.register(registry));
			// A task started outside a pushed execution still needs a sample to stop.
			this.discarding = LongTaskTimer.builder(id.getName()).register(discarding);
		}

		@Override
		public Sample start() {
			LongTaskTimer target = this.routed.target();
			return ((target != null) ? target : this.discarding).start();
		}

		@Override
		public double duration(TimeUnit unit) {
			LongTaskTimer target = this.routed.target();
			return (target != null) ? target.duration(unit) : 0;
		}

		@Override
		public int activeTasks() {
			LongTaskTimer target = this.routed.target();
			return (target != null) ? target.activeTasks() : 0;
		}

		@Override
		public double max(TimeUnit unit) {
			LongTaskTimer target = this.routed.target();
			return (target != null) ? target.max(unit) : 0;
		}

		@Override
		public TimeUnit baseTimeUnit() {
			return TimeUnit.SECONDS;
		}

		@Override
		public HistogramSnapshot takeSnapshot() {
			LongTaskTimer target = this.routed.target();
			return (target != null) ? target.takeSnapshot() : HistogramSnapshot.empty(0, 0, 0);
		}

	}

}
