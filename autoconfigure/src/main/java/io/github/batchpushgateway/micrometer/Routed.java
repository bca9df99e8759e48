package io.github.batchpushgateway.micrometer;

import java.lang.ref.WeakReference;
import java.util.function.Function;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The meter a routed meter records into: the one of the same name in the registry of the
 * execution running on the recording thread, registered there at its first use and remembered
 * for as long as that thread's execution stays the same, so a job's thread that records again
 * and again pays one comparison. It is remembered weakly: a meter kept in an application's field
 * must not keep a closed execution's registry, and every meter in it, reachable until its next
 * recording.
 *
 * @param <M> the kind of meter
 */
final class Routed<M extends Meter> {

	private static final Log logger = LogFactory.getLog(Routed.class);

	private final Meter.Id id;

	private final Supplier<@Nullable MeterRegistry> current;

	private final Function<MeterRegistry, M> register;

	private volatile @Nullable Target<M> last;

	private volatile boolean refusalLogged;

	/**
	 * @param id the meter's id, for messages
	 * @param current the registry of the execution running on the calling thread, {@code null}
	 * outside a pushed execution
	 * @param register registers the meter in an execution's registry
	 */
	Routed(Meter.Id id, Supplier<@Nullable MeterRegistry> current, Function<MeterRegistry, M> register) {
		this.id = id;
		this.current = current;
		this.register = register;
	}

	/**
	 * Returns the meter to record into now, {@code null} when no pushed execution runs on the
	 * calling thread (the recording is then dropped: it belongs to no job's group).
	 */
	@Nullable M target() {
		MeterRegistry registry = this.current.get();
		if (registry == null) {
			return null;
		}
		Target<M> last = this.last;
		M remembered = (last != null) ? last.meterIn(registry) : null;
		if (remembered != null) {
			return remembered;
		}
		try {
			M meter = this.register.apply(registry);
			this.last = new Target<>(registry, meter);
			return meter;
		}
		catch (RuntimeException ex) {
			// An application's own MeterFilter can rename a meter into a name the group refuses:
			// the job that records must not fail because of it.
			if (!this.refusalLogged) {
				this.refusalLogged = true;
				logger.warn("Meter '" + this.id.getName() + "' cannot be pushed in the job's group and is dropped: "
						+ ex.getMessage());
			}
			return null;
		}
	}

	/**
	 * An execution's registry and its meter, both weakly: the registry holds the meter as long as
	 * it lives.
	 */
	private static final class Target<M> {

		private final WeakReference<MeterRegistry> registry;

		private final WeakReference<M> meter;

		Target(MeterRegistry registry, M meter) {
			this.registry = new WeakReference<>(registry);
			this.meter = new WeakReference<>(meter);
		}

		@Nullable M meterIn(MeterRegistry registry) {
			return (this.registry.get() == registry) ? this.meter.get() : null;
		}

	}

}
