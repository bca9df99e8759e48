package io.github.batchpushgateway.batch;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.batchpushgateway.metrics.JobMetricsSnapshotFactory;
import io.github.batchpushgateway.metrics.JobSchedule;
import io.github.batchpushgateway.push.LatestSnapshotPusher;
import io.github.batchpushgateway.push.PushGroup;
import io.github.batchpushgateway.push.PushListener;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.core.retry.RetryPolicy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JobStatePublisher}: which execution an event belongs to, and executions whose
 * end Spring Batch never reported.
 */
class JobStatePublisherTests {

	/** Last pushed value of batch_job_running, by job. */
	private final Map<String, Double> running = new ConcurrentHashMap<>();

	private final LatestSnapshotPusher pusher = new LatestSnapshotPusher((group, metrics) -> this.running
		.put(group.job(), runningValue(metrics)), RetryPolicy.withMaxRetries(0), Duration.ofSeconds(30),
			Duration.ofSeconds(1), new PushListener() {
			});

	private final PushGroupResolver groups = new PushGroupResolver(Map.of(), List.of());

	private final JobStatePublisher publisher = new JobStatePublisher(this.groups,
			new JobHistoryTracker(null, this.groups, 0), new JobMetricsSnapshotFactory(List::of),
			(job) -> new JobSchedule(Duration.ofSeconds(10), null), this.pusher, Duration.ofSeconds(5));

	@AfterEach
	void close() {
		this.pusher.close();
	}

	@Test
	void executionsWithTheSameIdAreTrackedApart() {
		// given two running executions with the same id, as the resourceless job repository gives them
		JobExecution a = started(1, "jobA");
		JobExecution b = started(1, "jobB");
		this.publisher.jobStarted(a);
		this.publisher.jobStarted(b);

		// when the first one ends
		end(a);
		assertThat(this.publisher.jobEnded(a)).isTrue();

		// then it is reported ended and the other one still runs
		assertThat(this.running).containsEntry("jobA", 0.0).containsEntry("jobB", 1.0);
		assertThat(this.publisher.runningCount()).isEqualTo(1);
	}

	@Test
	void executionWhoseEndWasNeverReportedIsFinishedByTheProgressMonitor() {
		// given an execution that ended without afterJob (Spring Batch skips it when saving the end fails)
		JobExecution execution = started(7, "lostJob");
		this.publisher.jobStarted(execution);
		end(execution);

		// when the progress monitor looks twice
		this.publisher.publishProgress();
		assertThat(this.publisher.runningCount()).as("given until the next look").isEqualTo(1);
		this.publisher.publishProgress();

		// then it is no longer tracked and shows as ended
		assertThat(this.publisher.runningCount()).isZero();
		assertThat(this.pusher.flush(Duration.ofSeconds(5))).isTrue();
		assertThat(this.running).containsEntry("lostJob", 0.0);
	}

	private static JobExecution started(long id, String job) {
		JobExecution execution = new JobExecution(id, new JobInstance(id, job), new JobParameters());
		execution.setStartTime(LocalDateTime.now());
		execution.setStatus(BatchStatus.STARTED);
		return execution;
	}

	private static void end(JobExecution execution) {
		execution.setStatus(BatchStatus.COMPLETED);
		execution.setEndTime(LocalDateTime.now());
	}

	private static double runningValue(MetricSnapshots metrics) {
		return metrics.stream()
			.filter((metric) -> metric.getMetadata().getName().equals("batch_job_running"))
			.map((metric) -> ((GaugeSnapshot) metric).getDataPoints().get(0).getValue())
			.findFirst()
			.orElseThrow();
	}

}
