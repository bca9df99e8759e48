package io.github.batchpushgateway.micrometer;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.springframework.batch.core.observability.BatchMetrics;
import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.util.Assert;

/**
 * Records Spring Batch's observations of chunk-oriented steps into the {@link BatchMeters}
 * registry of the execution that makes them, so they are pushed in the job's group for that
 * execution only:
 * <ul>
 * <li>{@code spring.batch.item.read} as {@code batch_item_read_seconds} (every read call,
 * including the one per step that finds no more items);</li>
 * <li>{@code spring.batch.item.process} as {@code batch_item_process_seconds};</li>
 * <li>{@code spring.batch.chunk.write} as {@code batch_chunk_write_seconds}.</li>
 * </ul>
 * Each is a Prometheus classic histogram with fixed buckets (1 ms, 10 ms, 100 ms, 1 s, 10 s and
 * {@code +Inf}), {@code _count} and {@code _sum}, and a gauge {@code _max} (the slowest call of
 * the execution), tagged {@code step} and {@code status} ({@code SUCCESS} or {@code FAILURE}): at
 * most 9 series per kind, step and status, however many items run. The names differ from
 * {@code spring_batch_item_read_seconds} and the like that Spring Boot's Actuator records from
 * the same observations (cumulative over the JVM, a summary): a Pushgateway refuses a name pushed
 * with two types.
 *
 * <p>The execution is the one whose step runs on the thread that starts the observation (Spring
 * Batch's step context; its concurrent chunk steps register it on their worker threads too).
 * Observations outside a step, and those of executions the starter does not push, record
 * nothing.
 */
final class ChunkObservationHandler implements ObservationHandler<Observation.Context> {

	/** Upper bounds of the histogram buckets: decades from 1 ms to 10 s. */
	private static final Duration[] BUCKETS = { Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(100),
			Duration.ofSeconds(1), Duration.ofSeconds(10) };

	/** Long enough that {@code _max} covers the whole execution, not Micrometer's last 2 minutes. */
	private static final Duration MAX_WINDOW = Duration.ofDays(366);

	private static final String SUCCESS = BatchMetrics.STATUS_SUCCESS;

	private static final String FAILURE = BatchMetrics.STATUS_FAILURE;

	private static final Map<String, Timing> TIMINGS = Map.of(
			BatchMetrics.METRICS_PREFIX + "item.read",
			new Timing("batch.item.read",
					"Time Spring Batch took to read an item, by step and status; the read that finds no more items counts too."),
			BatchMetrics.METRICS_PREFIX + "item.process",
			new Timing("batch.item.process", "Time Spring Batch took to process an item, by step and status."),
			BatchMetrics.METRICS_PREFIX + "chunk.write",
			new Timing("batch.chunk.write", "Time Spring Batch took to write a chunk, by step and status."));

	private final Supplier<BatchMeters> meters;

	/**
	 * Creates a handler that records into the given meters.
	 * @param meters the meters, looked up at the first observation
	 */
	ChunkObservationHandler(Supplier<BatchMeters> meters) {
		Assert.notNull(meters, "'meters' must not be null");
		this.meters = meters;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return TIMINGS.containsKey(context.getName());
	}

	@Override
	public void onStart(Observation.Context context) {
		StepContext step = StepSynchronizationManager.getContext();
		if (step == null) {
			return;
		}
		StepExecution stepExecution = step.getStepExecution();
		MeterRegistry registry = this.meters.get().registry(stepExecution.getJobExecution());
		context.put(Started.class, new Started(registry, stepExecution.getStepName(), Timer.start(registry)));
	}

	@Override
	public void onStop(Observation.Context context) {
		Started started = context.get(Started.class);
		Timing timing = TIMINGS.get(context.getName());
		if (started == null || timing == null) {
			return;
		}
		started.sample()
			.stop(Timer.builder(timing.name())
				.description(timing.description())
				.tag("step", started.step())
				.tag("status", status(context))
				.serviceLevelObjectives(BUCKETS)
				.distributionStatisticExpiry(MAX_WINDOW)
				.register(started.registry()));
	}

	/**
	 * Spring Batch 6.0 marks every call that succeeds {@code SUCCESS}; when an exception ends the
	 * step it throws before it sets a status, so no status is a failure too. Anything else is
	 * mapped to one of the two, so the tag stays bounded.
	 */
	private static String status(Observation.Context context) {
		KeyValue status = context.getLowCardinalityKeyValue(context.getName() + ".status");
		return (status != null && SUCCESS.equals(status.getValue())) ? SUCCESS : FAILURE;
	}

	private record Timing(String name, String description) {
	}

	private record Started(MeterRegistry registry, String step, Timer.Sample sample) {
	}

}
