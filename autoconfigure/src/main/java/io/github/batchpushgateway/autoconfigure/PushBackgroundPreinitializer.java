package io.github.batchpushgateway.autoconfigure;

import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.github.batchpushgateway.autoconfigure.BatchPushgatewayProperties.Format;
import io.github.batchpushgateway.metrics.JobHistory;
import io.github.batchpushgateway.metrics.JobMetricsSnapshotFactory;
import io.github.batchpushgateway.metrics.JobSchedule;
import io.github.batchpushgateway.metrics.JobState;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.core.NativeDetector;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Loads and initializes, on a background thread while the application starts, what a job's first
 * push needs: the job state's metrics and the Prometheus exposition writer of the configured format
 * (the protobuf one builds its descriptors, so it is warmed only when protobuf is asked for). A
 * batch application runs its job as soon as it has started and the job's end waits for its final push: in a cold
 * JVM that push would otherwise load and initialize all of this on the job's critical path, while
 * the application's own start leaves the second core idle.
 *
 * <p>Like Spring Boot's background preinitializer: once per JVM, only with more than one
 * processor, not in a native image (nothing to load there), not with the system property
 * {@code spring.backgroundpreinitializer.ignore=true}, and not when
 * {@code batch.pushgateway.enabled} is {@code false}. Nothing is sent anywhere.
 */
final class PushBackgroundPreinitializer implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

	private static final AtomicBoolean startedInThisJvm = new AtomicBoolean();

	private final Consumer<Runnable> background;

	private final AtomicBoolean started;

	/** Creates the listener Spring Boot registers from {@code spring.factories}. */
	PushBackgroundPreinitializer() {
		this(PushBackgroundPreinitializer::startDaemon, startedInThisJvm);
	}

	PushBackgroundPreinitializer(Consumer<Runnable> background, AtomicBoolean started) {
		this.background = background;
		this.started = started;
	}

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		ConfigurableEnvironment environment = event.getEnvironment();
		if (NativeDetector.inNativeImage() || Boolean.getBoolean("spring.backgroundpreinitializer.ignore")
				|| Runtime.getRuntime().availableProcessors() <= 1
				|| !"true".equalsIgnoreCase(environment.getProperty("batch.pushgateway.enabled", "true").trim())
				|| !this.started.compareAndSet(false, true)) {
			return;
		}
		boolean text = pushesText(environment);
		this.background.accept(() -> preinitialize(text));
	}

	/**
	 * Whether pushes use the text format, read as the client's settings are bound: the
	 * properties' own default when none is set, so the two cannot disagree. Warming the other
	 * format's writer would load what no push uses (the protobuf one: some 70 classes and its
	 * descriptors, about 240 ms of CPU in a cold process).
	 */
	static boolean pushesText(ConfigurableEnvironment environment) {
		Format format = new BatchPushgatewayProperties().getFormat();
		try {
			format = Binder.get(environment).bind("batch.pushgateway.format", Format.class).orElse(format);
		}
		catch (RuntimeException ex) {
			// A value the application's binding refuses at startup, naming the property: nothing to warm.
		}
		return format == Format.TEXT;
	}

	private static void startDaemon(Runnable work) {
		Thread thread = new Thread(work, "batch-pushgateway-preinit");
		thread.setDaemon(true);
		thread.start();
	}

	/**
	 * Does once, with a made-up execution, what a push does before it sends.
	 * @return the size of the payload written, {@code -1} when something failed
	 */
	static long preinitialize(boolean text) {
		try {
			return Work.run(text);
		}
		catch (Exception | LinkageError ex) {
			// Only a head start: the first push does the same and reports what goes wrong.
			return -1;
		}
	}

	/**
	 * The work, in a class of its own: this listener is loaded with every application that has
	 * the starter, Spring Batch on the classpath or not, and must not need Spring Batch's classes
	 * itself.
	 */
	private static final class Work {

		static long run(boolean text) throws Exception {
			MetricSnapshots metrics = new JobMetricsSnapshotFactory(List::of).create(state());
			ExpositionFormatWriter writer = text ? PrometheusTextFormatWriter.create() : new PrometheusProtobufWriter();
			CountingOutputStream out = new CountingOutputStream();
			writer.write(out, metrics);
			// No HTTP classes: a plain-HTTP gateway without credentials is spoken to over
			// HttpURLConnection, which the JVM has mostly loaded already, and preloading the JDK's
			// HttpClient for the other cases measured no gain in a cold process.
			return out.count;
		}

		private static JobState state() {
			JobExecution execution = new JobExecution(1L, new JobInstance(1L, "preinitialize"), new JobParameters());
			LocalDateTime start = LocalDateTime.now();
			execution.setStartTime(start);
			StepExecution step = new StepExecution(1L, "step", execution);
			step.setStartTime(start);
			step.setReadCount(1);
			execution.addStepExecution(step);
			execution.setStatus(BatchStatus.COMPLETED);
			execution.setExitStatus(ExitStatus.COMPLETED);
			step.setStatus(BatchStatus.COMPLETED);
			step.setEndTime(start);
			execution.setEndTime(start);
			JobHistory history = JobHistory.EMPTY.with(JobHistory.FinishedRun.of(execution));
			return new JobState(0, null, history, Instant.now(), new JobSchedule(Duration.ofSeconds(10), null));
		}

	}

	private static final class CountingOutputStream extends OutputStream {

		long count;

		@Override
		public void write(int b) {
			this.count++;
		}

		@Override
		public void write(byte[] b, int off, int len) {
			this.count += len;
		}

	}

}
