package io.github.batchpushgateway.micrometer;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Routed}.
 */
class RoutedTests {

	private static final Meter.Id ID = Counter.builder("records.exported").register(new SimpleMeterRegistry()).getId();

	private final AtomicReference<MeterRegistry> current = new AtomicReference<>();

	private final AtomicInteger registrations = new AtomicInteger();

	private final Routed<Counter> routed = new Routed<>(ID, this.current::get, (registry) -> {
		this.registrations.incrementAndGet();
		return Counter.builder(ID.getName()).register(registry);
	});

	@Test
	void recordingsOfOneExecutionRegisterItsMeterOnce() {
		MeterRegistry execution = new SimpleMeterRegistry();
		this.current.set(execution);

		Counter first = this.routed.target();
		Counter again = this.routed.target();

		assertThat(again).isSameAs(first).isSameAs(execution.find(ID.getName()).counter());
		assertThat(this.registrations).hasValue(1);
	}

	@Test
	void aNewExecutionGetsAMeterOfItsOwn() {
		this.current.set(new SimpleMeterRegistry());
		Counter first = this.routed.target();
		MeterRegistry next = new SimpleMeterRegistry();
		this.current.set(next);

		assertThat(this.routed.target()).isNotSameAs(first).isSameAs(next.find(ID.getName()).counter());
	}

	@Test
	void outsideAnExecutionNothingIsRecorded() {
		assertThat(this.routed.target()).isNull();
	}

	@Test
	void aClosedExecutionsRegistryIsNotKeptReachableByTheMeterLastUsedInIt() {
		this.current.set(new SimpleMeterRegistry());
		this.routed.target().increment();
		// the execution closes: only the routed meter could still reach its registry
		WeakReference<MeterRegistry> closed = new WeakReference<>(this.current.getAndSet(null));

		for (int attempt = 0; attempt < 100 && closed.get() != null; attempt++) {
			System.gc();
		}

		assertThat(closed.get()).as("closed execution's registry").isNull();
	}

}
