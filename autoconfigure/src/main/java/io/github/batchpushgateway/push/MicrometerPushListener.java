package io.github.batchpushgateway.push;

import java.time.Duration;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * Counts pushes by outcome and times them in the application's own {@link MeterRegistry}, so a
 * long-running application shows its push health on {@code /actuator/prometheus} as
 * {@code batch_pushgateway_pushes_total{outcome,batch_job,target}} and
 * {@code batch_pushgateway_push_duration_seconds{outcome,target}}. The batch job's name is in
 * {@code batch_job}, not {@code job}, which Prometheus sets to the application's scrape job.
 *
 * <p>Internal; not an extension point: public only for the starter's other packages, and may
 * change in any release.
 */
public final class MicrometerPushListener implements PushListener {

	private final Supplier<? extends @Nullable MeterRegistry> registry;

	private final String target;

	/**
	 * Creates a listener that records into the given registry.
	 * @param registry supplies the application's registry when there is one, or {@code null};
	 * asked at each push, so the registry may be created after this listener
	 */
	public MicrometerPushListener(Supplier<? extends @Nullable MeterRegistry> registry) {
		this(registry, "");
	}

	private MicrometerPushListener(Supplier<? extends @Nullable MeterRegistry> registry, String target) {
		this.registry = registry;
		this.target = target;
	}

	/**
	 * Returns a listener for the pushes to one target, whose meters name it in the tag
	 * {@code target}.
	 * @param target the target, as its client describes it (its address, never credentials)
	 * @return the listener for that target
	 */
	public MicrometerPushListener forTarget(String target) {
		return new MicrometerPushListener(this.registry, target);
	}

	@Override
	public void pushSucceeded(PushGroup group, Duration duration) {
		record(group, "success", duration);
	}

	@Override
	public void pushFailed(PushGroup group, Exception failure, Duration duration) {
		record(group, "failure", duration);
	}

	private void record(PushGroup group, String outcome, Duration duration) {
		MeterRegistry registry = this.registry.get();
		if (registry == null) {
			return;
		}
		Counter.builder("batch.pushgateway.pushes")
			.description("Push attempts to the Pushgateway, by outcome and job")
			.tag("outcome", outcome)
			.tag("batch.job", group.job())
			.tag("target", this.target)
			.register(registry)
			.increment();
		Timer.builder("batch.pushgateway.push.duration")
			.description("Duration of push attempts to the Pushgateway")
			.tag("outcome", outcome)
			.tag("target", this.target)
			.register(registry)
			.record(duration);
	}

}
