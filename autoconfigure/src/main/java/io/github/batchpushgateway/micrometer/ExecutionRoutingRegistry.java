package io.github.batchpushgateway.micrometer;

import java.lang.ref.WeakReference;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import io.github.batchpushgateway.micrometer.RoutedMeters.RoutedCounter;
import io.github.batchpushgateway.micrometer.RoutedMeters.RoutedDistributionSummary;
import io.github.batchpushgateway.micrometer.RoutedMeters.RoutedLongTaskTimer;
import io.github.batchpushgateway.micrometer.RoutedMeters.RoutedTimer;
import io.micrometer.core.instrument.AbstractMeter;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.util.TimeUtils;
import org.jspecify.annotations.Nullable;

/**
 * The one registry {@link BatchMeters#registry()} hands out, usable anywhere and at any time, as
 * an application's own registry is: in a constructor, a field, a singleton.
 * <ul>
 * <li>Counters, timers, distribution summaries and long task timers are routed: each recording
 * goes to the execution running on the recording thread, into a meter of the same name and
 * settings in that execution's registry; outside a pushed execution it is dropped.</li>
 * <li>Gauges, time gauges, function counters, function timers and custom meters have no
 * recording to route: they are sampled for every pushed execution, registered in each
 * execution's registry, those running now and those that start later.</li>
 * </ul>
 * Like any registry it holds one meter per name and tags: a gauge registered again with another
 * state object keeps the first.
 */
final class ExecutionRoutingRegistry extends MeterRegistry {

	private final Supplier<@Nullable MeterRegistry> current;

	private final Consumer<Consumer<MeterRegistry>> share;

	private final MeterRegistry discarding = new CompositeMeterRegistry();

	/**
	 * @param current the registry of the pushed execution running on the calling thread, or
	 * {@code null}
	 * @param share registers a meter in every pushed execution's registry, now and later
	 */
	ExecutionRoutingRegistry(Supplier<@Nullable MeterRegistry> current, Consumer<Consumer<MeterRegistry>> share) {
		super(Clock.SYSTEM);
		this.current = current;
		this.share = share;
	}

	@Override
	protected Counter newCounter(Meter.Id id) {
		return new RoutedCounter(id, this.current);
	}

	@Override
	protected Timer newTimer(Meter.Id id, DistributionStatisticConfig config, PauseDetector pauseDetector) {
		return new RoutedTimer(id, config, this.current);
	}

	@Override
	protected DistributionSummary newDistributionSummary(Meter.Id id, DistributionStatisticConfig config,
			double scale) {
		return new RoutedDistributionSummary(id, config, scale, this.current);
	}

	@Override
	protected LongTaskTimer newLongTaskTimer(Meter.Id id, DistributionStatisticConfig config) {
		return new RoutedLongTaskTimer(id, this.current, this.discarding);
	}

	@Override
	protected <T> Gauge newGauge(Meter.Id id, @Nullable T obj, ToDoubleFunction<T> valueFunction) {
		// Weakly, as Micrometer's own gauges hold their state object; the function may hold it
		// strongly (Gauge.Builder#strongReference).
		WeakReference<@Nullable T> reference = new WeakReference<>(obj);
		Supplier<Number> value = () -> {
			T state = reference.get();
			return (state != null) ? valueFunction.applyAsDouble(state) : Double.NaN;
		};
		this.share.accept((registry) -> Gauge.builder(id.getName(), value)
			.tags(id.getTagsAsIterable())
			.description(id.getDescription())
			.baseUnit(id.getBaseUnit())
			.strongReference(true)
			.register(registry));
		return new SharedGauge(id, value);
	}

	@Override
	protected <T> TimeGauge newTimeGauge(Meter.Id id, @Nullable T obj, TimeUnit valueFunctionUnit,
			ToDoubleFunction<T> valueFunction) {
		WeakReference<@Nullable T> reference = new WeakReference<>(obj);
		this.share.accept((registry) -> TimeGauge.builder(id.getName(), reference, valueFunctionUnit, (held) -> {
			T state = held.get();
			return (state != null) ? valueFunction.applyAsDouble(state) : Double.NaN;
		}).tags(id.getTagsAsIterable()).description(id.getDescription()).strongReference(true).register(registry));
		return new SharedTimeGauge(id, () -> {
			T state = reference.get();
			return (state != null) ? TimeUtils.convert(valueFunction.applyAsDouble(state), valueFunctionUnit,
					TimeUnit.SECONDS) : Double.NaN;
		});
	}

	@Override
	protected <T> FunctionCounter newFunctionCounter(Meter.Id id, T obj, ToDoubleFunction<T> countFunction) {
		this.share.accept((registry) -> FunctionCounter.builder(id.getName(), obj, countFunction)
			.tags(id.getTagsAsIterable())
			.description(id.getDescription())
			.baseUnit(id.getBaseUnit())
			.register(registry));
		return new SharedFunctionCounter(id, () -> countFunction.applyAsDouble(obj));
	}

	@Override
	protected <T> FunctionTimer newFunctionTimer(Meter.Id id, T obj, ToLongFunction<T> countFunction,
			ToDoubleFunction<T> totalTimeFunction, TimeUnit totalTimeFunctionUnit) {
		this.share.accept((registry) -> FunctionTimer
			.builder(id.getName(), obj, countFunction, totalTimeFunction, totalTimeFunctionUnit)
			.tags(id.getTagsAsIterable())
			.description(id.getDescription())
			.register(registry));
		return new SharedFunctionTimer(id, () -> countFunction.applyAsLong(obj),
				(unit) -> TimeUtils.convert(totalTimeFunction.applyAsDouble(obj), totalTimeFunctionUnit, unit));
	}

	@Override
	protected Meter newMeter(Meter.Id id, Meter.Type type, Iterable<Measurement> measurements) {
		this.share.accept((registry) -> Meter.builder(id.getName(), type, measurements)
			.tags(id.getTagsAsIterable())
			.description(id.getDescription())
			.baseUnit(id.getBaseUnit())
			.register(registry));
		return new SharedMeter(id, measurements);
	}

	@Override
	protected TimeUnit getBaseTimeUnit() {
		return TimeUnit.SECONDS;
	}

	/**
	 * No defaults of its own: a routed meter passes on only what its code set, and each
	 * execution's registry adds its defaults (and the application's filters) as for its own meters.
	 */
	@Override
	protected DistributionStatisticConfig defaultHistogramConfig() {
		return DistributionStatisticConfig.NONE;
	}

	private static final class SharedGauge extends AbstractMeter implements Gauge {

		private final Supplier<Number> value;

		SharedGauge(Meter.Id id, Supplier<Number> value) {
			super(id);
			this.value = value;
		}

		@Override
		public double value() {
			return this.value.get().doubleValue();
		}

	}

	private static final class SharedTimeGauge extends AbstractMeter implements TimeGauge {

		private final Supplier<Double> seconds;

		SharedTimeGauge(Meter.Id id, Supplier<Double> seconds) {
			super(id);
			this.seconds = seconds;
		}

		@Override
		public TimeUnit baseTimeUnit() {
			return TimeUnit.SECONDS;
		}

		@Override
		public double value() {
			return this.seconds.get();
		}

	}

	private static final class SharedFunctionCounter extends AbstractMeter implements FunctionCounter {

		private final Supplier<Double> count;

		SharedFunctionCounter(Meter.Id id, Supplier<Double> count) {
			super(id);
			this.count = count;
		}

		@Override
		public double count() {
			return this.count.get();
		}

	}

	private static final class SharedFunctionTimer extends AbstractMeter implements FunctionTimer {

		private final Supplier<Long> count;

		private final java.util.function.Function<TimeUnit, Double> totalTime;

		SharedFunctionTimer(Meter.Id id, Supplier<Long> count, java.util.function.Function<TimeUnit, Double> totalTime) {
			super(id);
			this.count = count;
			this.totalTime = totalTime;
		}

		@Override
		public double count() {
			return this.count.get();
		}

		@Override
		public double totalTime(TimeUnit unit) {
			return this.totalTime.apply(unit);
		}

		@Override
		public TimeUnit baseTimeUnit() {
			return TimeUnit.SECONDS;
		}

	}

	private static final class SharedMeter extends AbstractMeter {

		private final Iterable<Measurement> measurements;

		SharedMeter(Meter.Id id, Iterable<Measurement> measurements) {
			super(id);
			this.measurements = measurements;
		}

		@Override
		public Iterable<Measurement> measure() {
			return this.measurements;
		}

	}

}
