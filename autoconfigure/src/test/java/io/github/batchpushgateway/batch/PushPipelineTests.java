package io.github.batchpushgateway.batch;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.github.batchpushgateway.metrics.JobMetricsSnapshotFactory;
import io.github.batchpushgateway.metrics.JobSchedule;
import io.github.batchpushgateway.push.ManualScheduler;
import io.github.batchpushgateway.push.PushClient;
import io.github.batchpushgateway.push.PushGroup;
import io.github.batchpushgateway.push.PushListener;
import io.github.batchpushgateway.push.PushRejectedException;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.core.retry.RetryPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link PushPipeline}, assembled with a {@link ManualScheduler} and recording clients,
 * so that every push is a step of the test.
 */
class PushPipelineTests {

	private static final PushGroup GROUP = PushGroup.of("importJob");

	private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(15);

	private static final PushPipeline.Settings SETTINGS = new PushPipeline.Settings(PROGRESS_INTERVAL, Duration.ZERO,
			Duration.ofMillis(50), Duration.ofMinutes(1), 10, 0);

	private final ManualScheduler scheduler = new ManualScheduler();

	private final RecordingClient client = new RecordingClient();

	private final List<PushPipeline> pipelines = new ArrayList<>();

	@AfterEach
	void closePipelines() {
		this.pipelines.forEach(PushPipeline::close);
	}

	@Test
	void jobStartReachesTheClientWhenTheSchedulerRuns() {
		// given
		PushPipeline pipeline = pipeline(Duration.ofMillis(50), this.client);
		// when
		pipeline.recorder().jobStarted(Executions.running("importJob"));
		// then
		assertThat(this.client.pushes()).isEmpty();
		this.scheduler.runDue();
		assertThat(this.client.pushes()).hasSize(1);
		assertThat(this.client.last().group()).isEqualTo(GROUP);
		assertThat(running(this.client.last().metrics())).isEqualTo(1);
	}

	@Test
	void jobEndReachesTheClientWithTheFinalState() {
		// given
		PushPipeline pipeline = pipeline(Duration.ofMillis(50), this.client);
		JobExecution execution = Executions.running("importJob");
		pipeline.recorder().jobStarted(execution);
		this.scheduler.runDue();
		// when
		Executions.ended(execution, BatchStatus.COMPLETED);
		boolean deliveredInTime = pipeline.recorder().jobEnded(execution);
		this.scheduler.runDue();
		// then: the scheduler had not run within the flush timeout, but the state stays queued
		assertThat(deliveredInTime).isFalse();
		assertThat(this.client.pushes()).hasSize(2);
		assertThat(running(this.client.last().metrics())).isZero();
		assertThat(exitCode(this.client.last().metrics())).isEqualTo("COMPLETED");
	}

	@Test
	void heartbeatIsScheduledAtTheProgressIntervalAndPushesRunningExecutions() {
		// given
		PushPipeline pipeline = pipeline(Duration.ofMillis(50), this.client);
		pipeline.recorder().jobStarted(Executions.running("importJob"));
		this.scheduler.runDue();
		// when
		this.scheduler.tick();
		this.scheduler.runDue();
		// then
		assertThat(this.scheduler.periods()).containsExactly(PROGRESS_INTERVAL);
		assertThat(this.client.pushes()).hasSize(2);
		assertThat(running(this.client.last().metrics())).isEqualTo(1);
	}

	@Test
	void stopFinishesRunningExecutionsAndAStartedAgainPipelineStillPushes() throws Exception {
		// given
		PushPipeline pipeline = pipeline(Duration.ofSeconds(5), this.client);
		pipeline.start();
		pipeline.recorder().jobStarted(Executions.running("importJob"));
		this.scheduler.runDue();
		assertThat(pipeline.isRunning()).isTrue();
		// when: a scheduler thread runs while the shutdown waits for delivery
		AtomicBoolean stopped = new AtomicBoolean();
		Thread schedulerThread = new Thread(() -> {
			while (!stopped.get()) {
				this.scheduler.runDue();
				Thread.onSpinWait();
			}
		});
		schedulerThread.start();
		try {
			pipeline.stop();
		}
		finally {
			stopped.set(true);
			schedulerThread.join();
		}
		// then
		assertThat(pipeline.isRunning()).isFalse();
		assertThat(this.client.pushes()).hasSize(2);
		assertThat(running(this.client.last().metrics())).isZero();
		assertThat(exitCode(this.client.last().metrics())).isEqualTo(TrackedExecution.INTERRUPTED);
		assertThat(pipeline.recorder().isTracked(Executions.running("importJob"))).isFalse();
		// and a context started again (Spring's test framework pauses and resumes contexts) pushes
		pipeline.start();
		pipeline.recorder().jobStarted(Executions.running("importJob"));
		this.scheduler.runDue();
		assertThat(this.client.pushes()).hasSize(3);
		// while a closed one does not
		pipeline.close();
		pipeline.recorder().jobStarted(Executions.running("importJob"));
		assertThat(this.scheduler.runDue()).isZero();
		assertThat(this.client.pushes()).hasSize(3);
	}

	@Test
	void closeAfterTheLifecyclesStopDoesNotWaitASecondTimeForATargetThatDidNotAnswer() {
		// given a target that never gets the state (the scheduler never runs)
		PushPipeline pipeline = pipeline(Duration.ofSeconds(1), this.client);
		pipeline.start();
		pipeline.recorder().jobStarted(Executions.running("importJob"));
		pipeline.stop();
		// when the context closes after its stop
		long start = System.nanoTime();
		pipeline.close();
		// then close does not wait the flush timeout again
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
	}

	@Test
	void stopOfAPipelineNeverStartedDoesNothing() {
		PushPipeline pipeline = pipeline(Duration.ofMillis(50), this.client);
		pipeline.recorder().jobStarted(Executions.running("importJob"));

		pipeline.stop();

		assertThat(pipeline.sender().undeliveredGroups()).containsExactly(GROUP);
		assertThat(this.scheduler.runDue()).isOne();
		assertThat(this.client.pushes()).hasSize(1);
	}

	@Test
	void everyClientGetsTheState() {
		// given
		RecordingClient other = new RecordingClient();
		PushPipeline pipeline = pipeline(Duration.ofMillis(50), this.client, other);
		// when
		pipeline.recorder().jobStarted(Executions.running("importJob"));
		this.scheduler.runDue();
		// then
		assertThat(this.client.pushes()).hasSize(1);
		assertThat(other.pushes()).hasSize(1);
		assertThat(running(other.last().metrics())).isEqualTo(1);
	}

	@Test
	void aClientThatFailsDoesNotKeepTheStateFromTheOther() {
		// given
		RecordingClient failing = new RecordingClient();
		failing.rejectWith = 400;
		PushPipeline pipeline = pipeline(Duration.ofMillis(50), failing, this.client);
		// when
		pipeline.recorder().jobStarted(Executions.running("importJob"));
		this.scheduler.runDue();
		// then
		assertThat(this.client.pushes()).hasSize(1);
		assertThat(failing.pushes()).isEmpty();
		assertThat(pipeline.sender().failingGroups()).containsOnlyKeys(GROUP);
	}

	@Test
	void settingsAreChecked() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PushPipeline.Settings(Duration.ZERO, Duration.ZERO, Duration.ZERO,
					Duration.ofMinutes(1), 1, 0))
			.withMessageContaining("progressInterval");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PushPipeline.Settings(PROGRESS_INTERVAL, PROGRESS_INTERVAL.plusMillis(1), Duration.ZERO,
					Duration.ofMinutes(1), 1, 0))
			.withMessageContaining("minPushInterval");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PushPipeline.Settings(PROGRESS_INTERVAL, Duration.ofMillis(-1), Duration.ZERO,
					Duration.ofMinutes(1), 1, 0))
			.withMessageContaining("minPushInterval");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PushPipeline.Settings(PROGRESS_INTERVAL, Duration.ZERO, Duration.ofSeconds(-1),
					Duration.ofMinutes(1), 1, 0))
			.withMessageContaining("flushTimeout");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PushPipeline.Settings(PROGRESS_INTERVAL, Duration.ZERO, Duration.ZERO, Duration.ZERO, 1, 0))
			.withMessageContaining("redeliveryInterval");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PushPipeline.Settings(PROGRESS_INTERVAL, Duration.ZERO, Duration.ZERO,
					Duration.ofMinutes(1), 0, 0))
			.withMessageContaining("maxGroupsPerJob");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PushPipeline.Settings(PROGRESS_INTERVAL, Duration.ZERO, Duration.ZERO,
					Duration.ofMinutes(1), 1, -1))
			.withMessageContaining("historyScanLimit");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PushPipeline.Settings(PROGRESS_INTERVAL, Duration.ZERO, Duration.ZERO,
					Duration.ofMinutes(1), 1, 0, Duration.ofSeconds(-1)))
			.withMessageContaining("refillCheckInterval");
	}

	@Test
	void anIdleJobsGroupIsPushedAgainToAGatewayThatRestartedWithoutIt() {
		// given a job that ran and ended, checked for refill every two minutes
		PushPipeline pipeline = pipeline(new PushPipeline.Settings(PROGRESS_INTERVAL, Duration.ZERO, Duration.ZERO,
				Duration.ofMinutes(1), 10, 0, Duration.ofMinutes(2)), this.client);
		JobExecution execution = Executions.running("importJob");
		pipeline.recorder().jobStarted(execution);
		this.scheduler.runDue();
		Executions.ended(execution, BatchStatus.COMPLETED);
		pipeline.recorder().jobEnded(execution);
		this.scheduler.runDue();
		this.scheduler.tick();
		this.scheduler.runDue();
		assertThat(this.client.pushes()).as("the gateway still holds the group").hasSize(2);

		// when the gateway restarts empty and the next check runs
		this.client.restartEmpty();
		this.scheduler.tick();
		this.scheduler.runDue();

		// then
		assertThat(this.scheduler.periods()).containsExactlyInAnyOrder(PROGRESS_INTERVAL, Duration.ofMinutes(2));
		assertThat(this.client.pushes()).hasSize(3);
		assertThat(this.client.last().group()).isEqualTo(GROUP);
		assertThat(exitCode(this.client.last().metrics())).isEqualTo("COMPLETED");
	}

	@Test
	void theFirstRefillCheckIsDueOneIntervalAfterThePipelineIsBuilt() {
		// when
		pipeline(new PushPipeline.Settings(PROGRESS_INTERVAL, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1), 10,
				0, Duration.ofMinutes(2)), this.client)
			.recorder();

		// then: not as the application starts, when nothing was pushed yet
		assertThat(this.scheduler.firstRunsIn()).containsExactly(Duration.ofMinutes(2));
	}

	@Test
	void withoutARefillIntervalTheGatewayIsNeverAskedForItsStart() {
		// given
		pipeline(Duration.ofMillis(50), this.client).recorder();

		// then
		assertThat(this.scheduler.periods()).containsExactly(PROGRESS_INTERVAL);
	}

	@Test
	void nothingIsBuiltOrScheduledBeforeTheFirstEvent() {
		// given
		AtomicInteger clientsAsked = new AtomicInteger();
		PushPipeline pipeline = pipeline(SETTINGS, () -> {
			clientsAsked.incrementAndGet();
			return List.of(this.client);
		});

		// when
		pipeline.start();
		boolean tracked = pipeline.isTracked(Executions.running("importJob"));

		// then
		assertThat(tracked).isFalse();
		assertThat(clientsAsked).hasValue(0);
		assertThat(this.scheduler.periods()).isEmpty();

		// when the first job starts
		pipeline.recorder().jobStarted(Executions.running("importJob"));
		pipeline.recorder();

		// then it is built, once
		assertThat(clientsAsked).hasValue(1);
		assertThat(this.scheduler.periods()).containsExactly(PROGRESS_INTERVAL);
	}

	@Test
	void theRetryPolicyIsBuiltAtTheFirstFailedPushNotWithThePipeline() {
		// given
		AtomicInteger policiesBuilt = new AtomicInteger();
		PushPipeline pipeline = pipeline(SETTINGS, () -> List.of(this.client), () -> {
			policiesBuilt.incrementAndGet();
			return RetryPolicy.builder().maxRetries(0).predicate(PushRejectedException::isWorthRetrying).build();
		});
		JobExecution execution = Executions.running("importJob");

		// when a job starts and its start is pushed
		pipeline.recorder().jobStarted(execution);
		this.scheduler.runDue();

		// then
		assertThat(this.client.pushes()).hasSize(1);
		assertThat(policiesBuilt).hasValue(0);

		// when its end is rejected
		this.client.rejectWith = 503;
		Executions.ended(execution, BatchStatus.COMPLETED);
		pipeline.recorder().jobEnded(execution);
		this.scheduler.runDue();

		// then the failure asked for the policy, built once
		assertThat(pipeline.sender().failingGroups()).containsOnlyKeys(GROUP);
		assertThat(policiesBuilt).hasValue(1);
	}

	@Test
	void aLookAtFailingGroupsBeforeTheFirstEventBuildsNothing() {
		// given
		AtomicInteger clientsAsked = new AtomicInteger();
		PushPipeline pipeline = pipeline(SETTINGS, () -> {
			clientsAsked.incrementAndGet();
			return List.of(this.client);
		});

		// when a health check asks
		pipeline.start();

		// then
		assertThat(pipeline.failingGroupsByTarget()).isEmpty();
		assertThat(clientsAsked).hasValue(0);
		assertThat(this.scheduler.periods()).isEmpty();
	}

	@Test
	void aPipelineNeverUsedStopsAndClosesWithoutBuildingAnything() {
		// given
		AtomicInteger clientsAsked = new AtomicInteger();
		PushPipeline pipeline = pipeline(SETTINGS, () -> {
			clientsAsked.incrementAndGet();
			return List.of(this.client);
		});
		pipeline.start();

		// when
		pipeline.stop();
		pipeline.close();

		// then
		assertThat(pipeline.isRunning()).isFalse();
		assertThat(clientsAsked).hasValue(0);
		assertThat(this.client.pushes()).isEmpty();
	}

	@Test
	void isTrackedAnswersForTheBuiltPipeline() {
		// given
		PushPipeline pipeline = pipeline(Duration.ofMillis(50), this.client);
		JobExecution execution = Executions.running("importJob");

		// when
		pipeline.recorder().jobStarted(execution);

		// then
		assertThat(pipeline.isTracked(execution)).isTrue();
		assertThat(pipeline.isTracked(Executions.running("otherJob"))).isFalse();
	}

	private PushPipeline pipeline(Duration flushTimeout, PushClient... clients) {
		return pipeline(
				new PushPipeline.Settings(PROGRESS_INTERVAL, Duration.ZERO, flushTimeout, Duration.ofMinutes(1), 10, 0),
				clients);
	}

	private PushPipeline pipeline(PushPipeline.Settings settings, PushClient... clients) {
		return pipeline(settings, () -> List.of(clients));
	}

	private PushPipeline pipeline(PushPipeline.Settings settings, Supplier<List<PushClient>> clients) {
		return pipeline(settings, clients,
				() -> RetryPolicy.builder().maxRetries(0).predicate(PushRejectedException::isWorthRetrying).build());
	}

	private PushPipeline pipeline(PushPipeline.Settings settings, Supplier<List<PushClient>> clients,
			Supplier<RetryPolicy> retryPolicy) {
		PushGroupResolver resolver = new PushGroupResolver(Map.of(), List.of());
		PushPipeline pipeline = new PushPipeline(settings, resolver,
				null, null, new JobMetricsSnapshotFactory(List::of),
				(job) -> new JobSchedule(PROGRESS_INTERVAL, null), clients, retryPolicy,
				(client) -> new PushListener() {
				}, null, this.scheduler, Clock.systemUTC());
		this.pipelines.add(pipeline);
		return pipeline;
	}

	private static double running(MetricSnapshots metrics) {
		return metrics.stream()
			.filter((metric) -> metric.getMetadata().getName().equals("batch_job_running"))
			.map((metric) -> ((GaugeSnapshot) metric).getDataPoints().get(0).getValue())
			.findFirst()
			.orElseThrow();
	}

	private static String exitCode(MetricSnapshots metrics) {
		return metrics.stream()
			.filter((metric) -> metric instanceof InfoSnapshot)
			.filter((metric) -> metric.getMetadata().getName().startsWith("batch_job_exit"))
			.map((metric) -> ((InfoSnapshot) metric).getDataPoints().get(0).getLabels().get("exit_code"))
			.findFirst()
			.orElseThrow();
	}

	private record Push(PushGroup group, MetricSnapshots metrics) {
	}

	private static final class RecordingClient implements PushClient {

		private final List<Push> pushes = new ArrayList<>();

		private final Set<PushGroup> held = new HashSet<>();

		private Instant started = Instant.parse("2026-12-07T02:00:00Z");

		volatile int rejectWith;

		@Override
		public synchronized void push(PushGroup group, MetricSnapshots metrics) throws IOException {
			if (this.rejectWith != 0) {
				throw new PushRejectedException(this.rejectWith, "rejected");
			}
			this.pushes.add(new Push(group, metrics));
			this.held.add(group);
		}

		@Override
		public synchronized Instant startTime() {
			return this.started;
		}

		@Override
		public synchronized Set<PushGroup> heldGroups() {
			return Set.copyOf(this.held);
		}

		/** A gateway without a persistence file restarts. */
		synchronized void restartEmpty() {
			this.held.clear();
			this.started = this.started.plusSeconds(3600);
		}

		synchronized List<Push> pushes() {
			return List.copyOf(this.pushes);
		}

		synchronized Push last() {
			return this.pushes.get(this.pushes.size() - 1);
		}

	}

}
