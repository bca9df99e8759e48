package io.github.batchpushgateway.batch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.batchpushgateway.metrics.JobMetricsSnapshotFactory;
import io.github.batchpushgateway.metrics.JobSchedule;
import io.github.batchpushgateway.push.FanOutSender;
import io.github.batchpushgateway.push.GroupSender;
import io.github.batchpushgateway.push.PushClient;
import io.github.batchpushgateway.push.PushGroup;
import io.github.batchpushgateway.push.PushListener;
import io.github.batchpushgateway.push.StateSender;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.Assert;

/**
 * The way from a job's lifecycle events to the targets, assembled from its parts: job threads
 * record events ({@link #recorder()}); a scheduler thread per target drives everything else, the
 * pushes, their retries and redelivery, and the heartbeat of running executions; the group's state
 * is built on that thread just before each push. Stopping it (the application's shutdown) ends the
 * executions still tracked and delivers within the flush timeout.
 *
 * <p>Internal; not an extension point: public only for the starter's other packages, and may
 * change in any release.
 */
public final class PushPipeline implements SmartLifecycle, AutoCloseable {

	/** Builds the parts at the first event: a JVM whose jobs never run starts no thread. */
	private final Supplier<Parts> assembly;

	private volatile @Nullable Parts parts;

	private volatile boolean running;

	/** Whether the lifecycle's stop has ended and delivered everything since the last start. */
	private volatile boolean finished;

	/**
	 * Creates a pipeline with scheduler threads of its own: one per target, so a target that
	 * hangs never delays another, daemons so that an unreachable target never keeps the JVM alive
	 * (the shutdown delivers first). With one target its thread also drives the heartbeat; with
	 * several, the heartbeat has a thread of its own. Nothing is built and no thread started
	 * until the first job event (or a look at the sender): until then there is nothing to push,
	 * to beat or to deliver at shutdown, and a short job's JVM pays the rest on its second core
	 * rather than before its job starts.
	 * @param settings timings and bounds
	 * @param resolver finds each execution's group
	 * @param repository the job repository, to read each group's earlier runs and what other JVMs
	 * run, or {@code null}
	 * @param stepExecutions reads the step executions of a job execution in one statement from a
	 * JDBC job repository, or {@code null} to read them through the repository's API
	 * @param snapshots builds the metrics
	 * @param schedules gives each job's configured intervals, by job name
	 * @param clients gives the targets, one client each (Pushgateways, a textfile collector's
	 * directory), asked once, when the pipeline is built
	 * @param retryPolicy gives which failures to retry, how often and how fast, asked once, at
	 * the first failed push (pushes that succeed never need it)
	 * @param listeners gives each target's listener, told about every push attempt to it
	 * @param gracefulStop stops running executions gracefully at shutdown, or {@code null} to push
	 * them as interrupted without asking them to stop
	 */
	public PushPipeline(Settings settings, PushGroupResolver resolver, @Nullable JobRepository repository,
			@Nullable JdbcStepExecutions stepExecutions, JobMetricsSnapshotFactory snapshots,
			Function<String, JobSchedule> schedules, Supplier<List<PushClient>> clients,
			Supplier<RetryPolicy> retryPolicy, Function<PushClient, PushListener> listeners,
			@Nullable GracefulStop gracefulStop) {
		this(settings, resolver, repository, stepExecutions, snapshots, schedules, clients, retryPolicy, listeners,
				gracefulStop, null, Clock.systemUTC());
	}

	PushPipeline(Settings settings, PushGroupResolver resolver, @Nullable JobRepository repository,
			@Nullable JdbcStepExecutions stepExecutions, JobMetricsSnapshotFactory snapshots,
			Function<String, JobSchedule> schedules, Supplier<List<PushClient>> clients,
			Supplier<RetryPolicy> retryPolicy, Function<PushClient, PushListener> listeners,
			@Nullable GracefulStop gracefulStop, @Nullable TaskScheduler scheduler, Clock clock) {
		Assert.notNull(settings, "'settings' must not be null");
		Assert.notNull(clients, "'clients' must not be null");
		Assert.notNull(retryPolicy, "'retryPolicy' must not be null");
		this.assembly = () -> new Parts(settings, resolver, repository, stepExecutions, snapshots, schedules,
				clients.get(), new DeferredRetryPolicy(retryPolicy), listeners, gracefulStop, scheduler, clock);
	}

	private Parts parts() {
		Parts parts = this.parts;
		if (parts == null) {
			synchronized (this) {
				parts = this.parts;
				if (parts == null) {
					parts = this.assembly.get();
					this.parts = parts;
				}
			}
		}
		return parts;
	}

	/**
	 * Returns what the job listeners report events to, building the pipeline at the first call.
	 * @return the recorder
	 */
	public JobEventRecorder recorder() {
		return parts().recorder;
	}

	/**
	 * Returns the sender, for flushing, building the pipeline at the first call.
	 * @return the sender
	 */
	public StateSender sender() {
		return parts().sender;
	}

	/**
	 * Returns whether an execution is one the pipeline tracks, without building the pipeline for
	 * the question: before it is built, none is.
	 * @param execution the execution
	 * @return whether it is tracked
	 */
	public boolean isTracked(JobExecution execution) {
		Parts parts = this.parts;
		return parts != null && parts.recorder.isTracked(execution);
	}

	/**
	 * Returns the groups whose last push failed, by target, without building the pipeline for the
	 * question: before it is built nothing was pushed, so none failed. A health check of an
	 * application whose jobs have not run starts no thread.
	 * @return the failing groups by target, with the time of their first failure
	 */
	public Map<String, Map<PushGroup, Instant>> failingGroupsByTarget() {
		Parts parts = this.parts;
		return (parts != null) ? parts.sender.failingGroupsByTarget() : Map.of();
	}

	@Override
	public void start() {
		this.finished = false;
		this.running = true;
	}

	/**
	 * Ends every execution still tracked and delivers, within the flush timeout. The pipeline
	 * goes on working: a stopped context may be started again. A pipeline never built has
	 * nothing to end.
	 */
	@Override
	public void stop() {
		if (this.running) {
			this.running = false;
			Parts parts = this.parts;
			if (parts != null) {
				parts.finisher.finish();
			}
			this.finished = true;
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
	 * Ends what the lifecycle did not (a context that was never started, or a test), closes the
	 * sender, so that a job thread still running does not wait for a push that can no longer
	 * happen, then stops the scheduler threads. After the lifecycle's stop it does not wait a
	 * second time for a target that did not answer then.
	 */
	@Override
	public void close() {
		if (this.running) {
			stop();
		}
		Parts parts = this.parts;
		if (parts == null) {
			return;
		}
		if (!this.finished) {
			parts.finisher.finish();
		}
		parts.sender.close(Duration.ZERO);
		for (ThreadPoolTaskScheduler scheduler : parts.ownSchedulers) {
			scheduler.shutdown();
		}
	}

	/** The pipeline's parts, built together at its first use. */
	private static final class Parts {

		private final List<ThreadPoolTaskScheduler> ownSchedulers = new ArrayList<>();

		private final StateSender sender;

		private final JobEventRecorder recorder;

		private final ShutdownFinisher finisher;

		Parts(Settings settings, PushGroupResolver resolver, @Nullable JobRepository repository,
				@Nullable JdbcStepExecutions stepExecutions, JobMetricsSnapshotFactory snapshots,
				Function<String, JobSchedule> schedules, List<PushClient> clients, RetryPolicy retryPolicy,
				Function<PushClient, PushListener> listeners, @Nullable GracefulStop gracefulStop,
				@Nullable TaskScheduler scheduler, Clock clock) {
			Assert.notEmpty(clients, "'clients' must not be empty");
			JobRepositoryReads reads = new JobRepositoryReads(repository, resolver, settings.historyScanLimit(),
					stepExecutions);
			GroupStates groups = new GroupStates(resolver, settings.maxGroupsPerJob(), reads, snapshots, schedules,
					clock);
			List<GroupSender> senders = new ArrayList<>();
			for (PushClient client : clients) {
				TaskScheduler targetScheduler = (scheduler != null) ? scheduler
						: newScheduler("batch-pushgateway-" + (senders.size() + 1) + "-");
				GroupSender sender = new GroupSender(client, groups, retryPolicy, settings.redeliveryInterval(),
						settings.minPushInterval(), settings.flushTimeout(), listeners.apply(client), targetScheduler);
				senders.add(sender);
				if (!settings.refillCheckInterval().isZero()) {
					// On the target's own thread: a slow probe delays only that target's pushes. Not
					// at once: nothing was pushed yet, and a job's JVM ended within the interval (a
					// java -jar job) would only pay the check's requests.
					targetScheduler.scheduleWithFixedDelay(sender.refillCheck(),
							targetScheduler.getClock().instant().plus(settings.refillCheckInterval()),
							settings.refillCheckInterval());
				}
			}
			this.sender = (senders.size() == 1) ? senders.get(0) : new FanOutSender(senders);
			this.recorder = new JobEventRecorder(groups, this.sender, settings.flushTimeout());
			this.finisher = new ShutdownFinisher(groups, this.sender, this.recorder, gracefulStop, reads,
					settings.flushTimeout(), clock);
			TaskScheduler heartbeats = (scheduler != null) ? scheduler
					: (clients.size() == 1) ? this.ownSchedulers.get(0) : newScheduler("batch-pushgateway-heartbeat-");
			heartbeats.scheduleWithFixedDelay(new Heartbeat(groups, this.sender), settings.progressInterval());
		}

		private ThreadPoolTaskScheduler newScheduler(String threadNamePrefix) {
			ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
			scheduler.setPoolSize(1);
			scheduler.setDaemon(true);
			scheduler.setThreadNamePrefix(threadNamePrefix);
			scheduler.setRemoveOnCancelPolicy(true);
			// Its own lifecycle must not stop it before the pipeline has delivered.
			scheduler.setWaitForTasksToCompleteOnShutdown(false);
			scheduler.initialize();
			this.ownSchedulers.add(scheduler);
			return scheduler;
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
	 * @param historyScanLimit how many of a job's most recent instances are read, at most, to
	 * seed a group's history
	 * @param refillCheckInterval how often each target is asked whether it restarted without the
	 * groups pushed to it, which are then pushed again; zero for never
	 */
	public record Settings(Duration progressInterval, Duration minPushInterval, Duration flushTimeout,
			Duration redeliveryInterval, int maxGroupsPerJob, int historyScanLimit, Duration refillCheckInterval) {

		/**
		 * Creates settings that never check whether a target lost its groups.
		 * @param progressInterval how often running executions are pushed
		 * @param minPushInterval the shortest time between two pushes of a group for events
		 * nobody waits for, zero for none
		 * @param flushTimeout how long to wait for final pushes
		 * @param redeliveryInterval how long undelivered state waits
		 * @param maxGroupsPerJob groups per job
		 * @param historyScanLimit instances read to seed a history
		 */
		public Settings(Duration progressInterval, Duration minPushInterval, Duration flushTimeout,
				Duration redeliveryInterval, int maxGroupsPerJob, int historyScanLimit) {
			this(progressInterval, minPushInterval, flushTimeout, redeliveryInterval, maxGroupsPerJob,
					historyScanLimit, Duration.ZERO);
		}

		/**
		 * Checks the settings.
		 * @param progressInterval how often running executions are pushed
		 * @param minPushInterval the shortest time between two pushes of a group for events
		 * nobody waits for (a job's start, step ends, heartbeats), zero for none
		 * @param flushTimeout how long to wait for final pushes
		 * @param redeliveryInterval how long undelivered state waits
		 * @param maxGroupsPerJob groups per job
		 * @param historyScanLimit instances read to seed a history
		 * @param refillCheckInterval how often each target is asked whether it restarted without
		 * the groups pushed to it, zero for never
		 */
		public Settings {
			Assert.isTrue(progressInterval != null && !progressInterval.isNegative() && !progressInterval.isZero(),
					"'progressInterval' must be positive");
			Assert.isTrue(minPushInterval != null && !minPushInterval.isNegative()
					&& minPushInterval.compareTo(progressInterval) <= 0,
					"'minPushInterval' must be between zero and 'progressInterval'");
			Assert.isTrue(flushTimeout != null && !flushTimeout.isNegative(), "'flushTimeout' must not be negative");
			Assert.isTrue(redeliveryInterval != null && !redeliveryInterval.isNegative() && !redeliveryInterval.isZero(),
					"'redeliveryInterval' must be positive");
			Assert.isTrue(maxGroupsPerJob > 0, "'maxGroupsPerJob' must be positive");
			Assert.isTrue(historyScanLimit >= 0, "'historyScanLimit' must not be negative");
			Assert.isTrue(refillCheckInterval != null && !refillCheckInterval.isNegative(),
					"'refillCheckInterval' must not be negative");
		}

	}

}
