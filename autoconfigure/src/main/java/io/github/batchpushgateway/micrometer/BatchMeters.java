package io.github.batchpushgateway.micrometer;

import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.github.batchpushgateway.metrics.JobMetricsContributor;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusNamingConvention;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.scope.context.JobContext;
import org.springframework.batch.core.scope.context.JobSynchronizationManager;
import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.util.Assert;

/**
 * Micrometer meters for the job execution that is running: job code (readers, processors,
 * writers, tasklets, listeners) records counters, gauges, timers and distribution summaries in
 * {@link #registry()}, and they appear in the job's Pushgateway group at every push, named by
 * micrometer-registry-prometheus's convention (a counter {@code records.exported} becomes
 * {@code records_exported_total}).
 *
 * <pre class="code">
 * private final Counter exported;
 *
 * InvoiceWriter(BatchMeters meters) {
 *     this.exported = meters.registry().counter("records.exported", "kind", "invoice");
 * }
 * </pre>
 *
 * <p>{@link #registry()} is one registry, used as an application's own: meters may be
 * registered once (in a constructor, kept in a field of a singleton) and used in every run.
 * Counters, timers, distribution summaries and long task timers record into the execution running
 * on the recording thread, found through Spring Batch's step and job context; gauges and the
 * other meters that are sampled rather than recorded appear in every execution's group. Each
 * execution has a registry of its own behind it, so a new execution starts from zero and meters
 * of one job never appear in another job's group; {@link #registry(JobExecution)} hands it out,
 * for code on threads of its own or a gauge of one run's state. It is dropped once the starter has
 * taken the execution's end into the group's history (for its final push, or at the next
 * heartbeat); what it held then is still pushed while the group shows that execution (a
 * redelivered final state included), and goes with the execution.
 *
 * <p>The application's {@code MeterFilter} and {@code MeterRegistryCustomizer} beans (common
 * tags, {@code management.metrics.tags.*}, renames, denials) apply to each execution's registry,
 * as they apply to the application's own, when the auto-configuration creates this. Give meters a
 * description: it becomes their help text (meters without one get a generic help text). Meters
 * whose name clashes with the starter's own metrics ({@code batch_job_*}, {@code batch_step_*})
 * or the Pushgateway's ({@code push_time_seconds}, {@code push_failure_time_seconds}) are refused
 * with an {@link IllegalArgumentException}. Keep tags bounded: every tag value is a series in the
 * gateway.
 *
 * <p>For executions the starter does not push (a job excluded by {@code jobs.exclude}, or the
 * starter disabled), and outside any execution, recordings are dropped, so job code never has to
 * check.
 *
 * <p>As a {@link JobMetricsContributor}, it hands the meters of the shown execution to the
 * group's state; the auto-configuration registers it.
 */
public final class BatchMeters implements JobMetricsContributor {

	private static final List<String> RESERVED_PREFIXES = List.of("batch_job_", "batch_step_");

	private static final List<String> RESERVED_NAMES = List.of("batch_job", "batch_step", "push_time_seconds",
			"push_failure_time_seconds");

	private static final Log logger = LogFactory.getLog(BatchMeters.class);

	private final Predicate<JobExecution> pushed;

	private final Consumer<MeterRegistry> configurer;

	private final ExecutionRoutingRegistry routing;

	/** Meters of the routing registry sampled in the registries of every execution they belong to. */
	private final List<Shared> shared = new CopyOnWriteArrayList<>();

	private final MeterRegistry discarding = new CompositeMeterRegistry();

	/** Registries of running executions, by identity. Guarded by itself. */
	private final Map<JobExecution, PrometheusMeterRegistry> registries = new IdentityHashMap<>();

	private final FinalScrapes finalScrapes = new FinalScrapes();

	/** The last registry handed out: the lookup of a job's thread that records again and again. */
	private volatile @Nullable Entry last;

	/**
	 * Creates the meters of executions for which the given predicate holds. An application
	 * injects the auto-configured bean; this constructor serves unit tests of code that records
	 * into it ({@code new BatchMeters((execution) -> true)}).
	 * @param pushed whether the starter pushes an execution and has not yet taken in its end
	 * (it calls {@link #executionEnded} when it does)
	 */
	public BatchMeters(Predicate<JobExecution> pushed) {
		this(pushed, (registry) -> {
		});
	}

	/**
	 * Creates the meters of executions for which the given predicate holds, with each
	 * execution's registry configured by the given configurer first (the application's meter
	 * filters and registry customizers). Used by the auto-configuration: an application injects
	 * the bean it creates.
	 * @param pushed whether the starter pushes an execution and has not yet taken in its end
	 * (it calls {@link #executionEnded} when it does)
	 * @param configurer configures each execution's registry when it is created
	 */
	public BatchMeters(Predicate<JobExecution> pushed, Consumer<MeterRegistry> configurer) {
		Assert.notNull(pushed, "'pushed' must not be null");
		Assert.notNull(configurer, "'configurer' must not be null");
		this.pushed = pushed;
		this.configurer = configurer;
		this.routing = new ExecutionRoutingRegistry(this::currentRegistry, this::share);
		this.routing.config().namingConvention(new PrometheusNamingConvention());
		this.routing.config().meterFilter(new GroupMeterFilter(this.routing));
	}

	/**
	 * Returns the registry job code records in: usable anywhere and at any time, in a
	 * constructor or a singleton too. Its counters, timers, distribution summaries and long task
	 * timers record into the execution running on the recording thread (dropped outside one);
	 * its gauges and other sampled meters appear in every execution's group.
	 * @return the registry
	 */
	public MeterRegistry registry() {
		return this.routing;
	}

	/** The registry of the pushed execution running on the calling thread, or {@code null}. */
	private @Nullable MeterRegistry currentRegistry() {
		JobExecution execution = currentExecution();
		if (execution == null) {
			return null;
		}
		Entry last = this.last;
		if (last != null && last.execution == execution) {
			return last.registry;
		}
		return lookUp(execution);
	}

	/**
	 * Registers a sampled meter in the registry of every execution it belongs to, now and as
	 * each is created: every job's when it is registered outside any execution (a singleton's
	 * constructor), else the executions of the job registering it, so that a job's gauge never
	 * appears in another job's group.
	 */
	private void share(Consumer<MeterRegistry> registration) {
		JobExecution registering = currentExecution();
		Shared meter = new Shared((registering != null) ? registering.getJobInstance().getJobName() : null,
				registration);
		synchronized (this.registries) {
			this.shared.add(meter);
			this.registries.forEach((execution, registry) -> meter.registerFor(execution, registry));
		}
	}

	private static void register(Consumer<MeterRegistry> registration, MeterRegistry registry) {
		try {
			registration.accept(registry);
		}
		catch (RuntimeException ex) {
			// An application's filter may refuse what the group can take: the job must not fail.
			logger.warn("A meter cannot be pushed in the job's group and is left out: " + ex.getMessage());
		}
	}

	/**
	 * Returns the registry of the given job execution, for code that runs outside the
	 * execution's step and job context (a thread of its own, say).
	 * @param execution a running execution
	 * @return the execution's registry
	 */
	public MeterRegistry registry(JobExecution execution) {
		Assert.notNull(execution, "'execution' must not be null");
		Entry last = this.last;
		if (last != null && last.execution == execution) {
			return last.registry;
		}
		MeterRegistry registry = lookUp(execution);
		if (registry == null) {
			return this.discarding;
		}
		return registry;
	}

	private @Nullable MeterRegistry lookUp(JobExecution execution) {
		synchronized (this.registries) {
			PrometheusMeterRegistry registry = this.registries.get(execution);
			if (registry == null) {
				if (!this.pushed.test(execution)) {
					return null;
				}
				registry = newRegistry(execution);
				this.registries.put(execution, registry);
			}
			this.last = new Entry(execution, registry);
			return registry;
		}
	}

	/** Guarded by {@code registries}. */
	private PrometheusMeterRegistry newRegistry(JobExecution execution) {
		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
				new PrometheusRegistry(), Clock.SYSTEM);
		try {
			this.configurer.accept(registry);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not apply the application's meter filters and customizers to a job execution's meters",
					ex);
		}
		// Last, so that it checks the names the application's filters give.
		registry.config().meterFilter(new GroupMeterFilter(registry));
		this.shared.forEach((meter) -> meter.registerFor(execution, registry));
		return registry;
	}

	private static @Nullable JobExecution currentExecution() {
		StepContext step = StepSynchronizationManager.getContext();
		if (step != null) {
			return step.getStepExecution().getJobExecution();
		}
		JobContext job = JobSynchronizationManager.getContext();
		return (job != null) ? job.getJobExecution() : null;
	}

	/**
	 * Returns the meters of the execution the group shows: recorded so far while it runs, as they
	 * were at its end afterwards.
	 */
	@Override
	public Collection<MetricSnapshot> contribute(JobExecution jobExecution) {
		PrometheusMeterRegistry registry;
		synchronized (this.registries) {
			registry = this.registries.get(jobExecution);
		}
		MetricSnapshots scrape = (registry != null) ? registry.getPrometheusRegistry().scrape()
				: this.finalScrapes.get(jobExecution);
		if (scrape == null && !this.shared.isEmpty()
				&& lookUp(jobExecution) instanceof PrometheusMeterRegistry created) {
			// A run that has recorded nothing itself still shows the gauges registered once.
			scrape = created.getPrometheusRegistry().scrape();
		}
		return (scrape != null) ? scrape.stream().toList() : List.of();
	}

	/**
	 * Keeps what the execution's meters hold now and drops its registry.
	 */
	@Override
	public void executionEnded(JobExecution jobExecution) {
		PrometheusMeterRegistry registry;
		synchronized (this.registries) {
			registry = this.registries.remove(jobExecution);
			if (registry == null && !this.shared.isEmpty()) {
				// A run that recorded nothing itself and whose only push is its end (a short job's
				// start is held) still shows the gauges registered once.
				registry = newRegistry(jobExecution);
			}
			Entry last = this.last;
			if (last != null && last.execution == jobExecution) {
				this.last = null;
			}
		}
		if (registry != null) {
			this.finalScrapes.put(jobExecution, registry.getPrometheusRegistry().scrape());
			registry.close();
		}
	}

	/** Returns how many executions have a registry, for tests of the bound. */
	int liveRegistries() {
		synchronized (this.registries) {
			return this.registries.size();
		}
	}

	/** Returns how many ended executions keep their final meters, for tests of the bound. */
	int finalScrapes() {
		return this.finalScrapes.size();
	}

	private record Entry(JobExecution execution, MeterRegistry registry) {
	}

	/** A sampled meter of the routing registry, for every job's executions or one job's. */
	private record Shared(@Nullable String jobName, Consumer<MeterRegistry> registration) {

		void registerFor(JobExecution execution, MeterRegistry registry) {
			if (this.jobName == null || this.jobName.equals(execution.getJobInstance().getJobName())) {
				register(this.registration, registry);
			}
		}

	}

	/**
	 * Refuses meters the group already has under the same name, and gives meters without a
	 * description a help text, which Prometheus' lint asks for.
	 */
	private static final class GroupMeterFilter implements MeterFilter {

		private final MeterRegistry registry;

		GroupMeterFilter(MeterRegistry registry) {
			this.registry = registry;
		}

		@Override
		public Meter.Id map(Meter.Id id) {
			String name = this.registry.config().namingConvention().name(id.getName(), id.getType(), id.getBaseUnit());
			if (RESERVED_NAMES.contains(name) || RESERVED_PREFIXES.stream().anyMatch(name::startsWith)) {
				throw new IllegalArgumentException("Meter '" + id.getName() + "' would be pushed as '" + name
						+ "', which clashes with the metrics batch-pushgateway pushes itself (batch_job_*, batch_step_*, "
						+ "push_time_seconds, push_failure_time_seconds): choose another name");
			}
			if (id.getDescription() == null || id.getDescription().isBlank()) {
				return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(),
						"Meter " + id.getName() + " recorded by the job.", id.getType());
			}
			return id;
		}

	}

}
