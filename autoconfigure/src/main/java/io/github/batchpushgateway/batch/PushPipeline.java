package io.github.batchpushgateway.batch;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

import io.github.batchpushgateway.metrics.JobMetricsSnapshotFactory;
import io.github.batchpushgateway.metrics.JobSchedule;
import io.github.batchpushgateway.push.GroupSender;
import io.github.batchpushgateway.push.PushClient;
import io.github.batchpushgateway.push.PushListener;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.Assert;

/**
 * The way from a job's lifecycle events to the target, assembled from its parts: job threads
 * record events ({@link #recorder()}); one scheduler thread drives everything else, the pushes,
 * their retries and redelivery, and the heartbeat of running executions; the group's state is
 * built on that thread just before each push. Stopping it (the application's shutdown) ends the
 * executions still tracked and delivers within the flush timeout.
 */
public final class PushPipeline implements SmartLifecycle, AutoCloseable {

	private final @Nullable ThreadPoolTaskScheduler ownScheduler;

	private final GroupSender sender;

	private final JobEventRecorder recorder;

	private final ShutdownFinisher finisher;

	private volatile boolean running;

	/**
	 * Creates a pipeline with its own scheduler thread, a daemon so that an unreachable gateway
	 * never keeps the JVM alive (the shutdown delivers first).
	 * @param settings timings and bounds
	 * @param resolver finds each execution's group
	 * @param histories knows each group's earlier runs
	 * @param repository the job repository, to count executions other JVMs run, or {@code null}
	 * @param snapshots builds the metrics
	 * @param schedules gives each job's configured intervals, by job name
	 * @param client sends to the target
	 * @param retryPolicy which failures to retry, how often and how fast
	 * @param listener told about every push attempt
	 * @param jobOperator stops running executions gracefully at shutdown, or {@code null} to push
	 * them as interrupted without asking them to stop
	 */
	public PushPipeline(Settings settings, PushGroupResolver resolver, JobHistoryTracker histories,
			@Nullable JobRepository repository, JobMetricsSnapshotFactory snapshots,
			Function<String, JobSchedule> schedules, PushClient client, RetryPolicy retryPolicy,
			PushListener listener, @Nullable JobOperator jobOperator) {
		this(settings, resolver, histories, repository, snapshots, schedules, client, retryPolicy, listener,
				jobOperator, newScheduler(), Clock.systemUTC());
	}

	PushPipeline(Settings settings, PushGroupResolver resolver, JobHistoryTracker histories,
			@Nullable JobRepository repository, JobMetricsSnapshotFactory snapshots,
			Function<String, JobSchedule> schedules, PushClient client, RetryPolicy retryPolicy,
			PushListener listener, @Nullable JobOperator jobOperator, TaskScheduler scheduler, Clock clock) {
		Assert.notNull(settings, "'settings' must not be null");
		this.ownScheduler = (scheduler instanceof ThreadPoolTaskScheduler own) ? own : null;
		GroupRegistry groups = new GroupRegistry(resolver, settings.maxGroupsPerJob());
		JobStateAssembler source = new JobStateAssembler(groups, histories, repository, snapshots, schedules, clock);
		this.sender = new GroupSender(client, source, retryPolicy, settings.redeliveryInterval(),
				settings.flushTimeout(), listener, scheduler);
		this.recorder = new JobEventRecorder(groups, this.sender, settings.flushTimeout());
		this.finisher = new ShutdownFinisher(groups, this.sender, this.recorder, jobOperator, repository,
				settings.flushTimeout(),
				clock);
		scheduler.scheduleWithFixedDelay(new Heartbeat(groups, this.sender, source, repository), settings.progressInterval());
	}

	private static ThreadPoolTaskScheduler newScheduler() {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setPoolSize(1);
		scheduler.setDaemon(true);
		scheduler.setThreadNamePrefix("batch-pushgateway-");
		scheduler.setRemoveOnCancelPolicy(true);
		// Its own lifecycle must not stop it before the pipeline has delivered.
		scheduler.setWaitForTasksToCompleteOnShutdown(false);
		scheduler.initialize();
		return scheduler;
	}

	/**
	 * Returns what the job listeners report events to.
	 * @return the recorder
	 */
	public JobEventRecorder recorder() {
		return this.recorder;
	}

	/**
	 * Returns the sender, for flushing and for health.
	 * @return the sender
	 */
	public GroupSender sender() {
		return this.sender;
	}

	@Override
	public void start() {
		this.running = true;
	}

	/**
	 * Ends every execution still tracked and delivers, within the flush timeout.
	 */
	@Override
	public void stop() {
		if (this.running) {
			this.running = false;
			this.finisher.finish();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * The last phase, so the pipeline stops first: before the application's executors and data
	 * sources, while a stopping job can still save its state.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE;
	}

	/**
	 * Ends what the lifecycle did not (a context that was never started, or a test), then stops the
	 * scheduler.
	 */
	@Override
	public void close() {
		stop();
		this.finisher.finish();
		if (this.ownScheduler != null) {
			this.ownScheduler.shutdown();
		}
	}

	/**
	 * The pipeline's timings and bounds.
	 *
	 * @param progressInterval how often running executions are pushed (the heartbeat)
	 * @param flushTimeout how long a job's end waits for its final push, and the shutdown for
	 * everything
	 * @param redeliveryInterval how long state whose retries are exhausted waits before it is sent
	 * again
	 * @param maxGroupsPerJob how many groups a job may have with grouping parameters
	 */
	public record Settings(Duration progressInterval, Duration flushTimeout, Duration redeliveryInterval,
			int maxGroupsPerJob) {

		/**
		 * Checks the settings.
		 * @param progressInterval how often running executions are pushed
		 * @param flushTimeout how long to wait for final pushes
		 * @param redeliveryInterval how long undelivered state waits
		 * @param maxGroupsPerJob groups per job
		 */
		public Settings {
			Assert.isTrue(progressInterval != null && !progressInterval.isNegative() && !progressInterval.isZero(),
					"'progressInterval' must be positive");
			Assert.isTrue(flushTimeout != null && !flushTimeout.isNegative(), "'flushTimeout' must not be negative");
			Assert.isTrue(redeliveryInterval != null && !redeliveryInterval.isNegative() && !redeliveryInterval.isZero(),
					"'redeliveryInterval' must be positive");
			Assert.isTrue(maxGroupsPerJob > 0, "'maxGroupsPerJob' must be positive");
		}

	}

}
