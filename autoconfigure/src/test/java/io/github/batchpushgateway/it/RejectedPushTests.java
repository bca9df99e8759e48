package io.github.batchpushgateway.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.batchpushgateway.metrics.JobMetricsContributor;
import io.github.batchpushgateway.push.PushGroup;
import io.github.batchpushgateway.push.PushListener;
import io.github.batchpushgateway.push.PushRejectedException;
import io.github.batchpushgateway.testsupport.PushgatewayServer;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A push the gateway rejects is not retried: here the real gateway answers 400 because another
 * group holds a metric that {@code variantJob}'s contributor adds, with another type. The rejected
 * group is checked again every redelivery interval, so it lands once that group is gone.
 */
@ExtendWith(OutputCaptureExtension.class)
class RejectedPushTests {

	@Test
	void pushRejectedWith400IsTriedOncePerEventAndTheJobGoesOn(CapturedOutput output) throws Exception {
		try (PushgatewayServer gateway = PushgatewayServer.start()) {
			// given another group that holds variant_marker as a counter
			holdVariantMarkerAsACounter(gateway);

			// no check of the rejected state within the test: it comes after the redelivery interval
			try (TestBatchApplication application = TestBatchApplication.start(gateway.address(),
					"batch.pushgateway.retry.max-retries=5", "batch.pushgateway.retry.redelivery-interval=1h",
					// no heartbeat during the run: every attempt counted comes from an event
					"batch.pushgateway.progress-interval=1h", "spring.main.sources=" + Attempts.class.getName())) {
				// when a job runs (start, two step ends, end: four events)
				JobExecution execution = application.run("variantJob", new JobParameters());

				// then each event was tried once, rejected with the gateway's 400, and the job went on
				assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
				List<Exception> failures = application.bean(Attempts.class).failures;
				assertThat(failures).isNotEmpty()
					.allSatisfy((failure) -> assertThat(failure).isInstanceOfSatisfying(PushRejectedException.class,
							(rejected) -> assertThat(rejected.getStatus()).isEqualTo(400)));
				assertThat(failures).hasSizeLessThanOrEqualTo(3); // start, one step end, end: never 6 per event
				assertThat(gateway.metrics().value("batch_job_status", Map.of("job", "variantJob"))).isEmpty();

				// and a rejected snapshot is dropped, not redelivered when other groups get through
				int attempts = failures.size();
				application.run("twoStepJob", new JobParameters());
				application.run("twoStepJob", new JobParameters());
				assertThat(failures).hasSize(attempts);
				assertThat(gateway.metrics().require("batch_job_status", Map.of("job", "twoStepJob", "status", "COMPLETED")))
					.isEqualTo(1);
				assertThat(output.getOut().split("The state of job=variantJob is rejected by", -1)).hasSize(2);
				assertThat(output).doesNotContain("are failing").doesNotContain("succeed again");
			}
		}
	}

	@Test
	void aRejectedGroupRecoversWhenTheCauseIsGoneWithoutAnotherRun() throws Exception {
		try (PushgatewayServer gateway = PushgatewayServer.start()) {
			// given a finished run whose state the gateway rejected
			holdVariantMarkerAsACounter(gateway);
			try (TestBatchApplication application = TestBatchApplication.start(gateway.address(),
					"batch.pushgateway.retry.redelivery-interval=200ms", "batch.pushgateway.flush-timeout=0",
					"spring.main.sources=" + Attempts.class.getName())) {
				HealthIndicator health = application.bean("batchPushgatewayHealthIndicator", HealthIndicator.class);
				application.run("variantJob", new JobParameters());
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(health.health().getDetails()).containsEntry("delivery", "undelivered")
						.containsKey("undeliveredGroups"));
				assertThat(health.health().getStatus()).isEqualTo(Status.UP);

				// when the other group is deleted
				HttpResponse<String> deleted = HttpClient.newHttpClient()
					.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/metrics/job/someone-else")).DELETE().build(),
							HttpResponse.BodyHandlers.ofString());
				assertThat(deleted.statusCode()).isEqualTo(202);

				// then the group's state lands and the health contributor says so, with no new run
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(health.health().getDetails()).containsEntry("delivery", "delivered"));
				assertThat(gateway.metrics().require("batch_job_status", Map.of("job", "variantJob", "status", "COMPLETED")))
					.isEqualTo(1);
			}
		}
	}

	/** Another group holds {@code variant_marker} as a counter: the gateway rejects it as a gauge. */
	private static void holdVariantMarkerAsACounter(PushgatewayServer gateway) throws Exception {
		HttpResponse<String> conflicting = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/metrics/job/someone-else"))
				.PUT(HttpRequest.BodyPublishers.ofString("# TYPE variant_marker counter\nvariant_marker 1\n"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(conflicting.statusCode()).isEqualTo(200);
	}

	/**
	 * Added as a source of the application, so it is a bean: the pusher tells it every attempt,
	 * and it adds a gauge {@code variant_marker} to {@code variantJob}'s group.
	 */
	@Configuration(proxyBeanMethods = false)
	static class Attempts implements PushListener, JobMetricsContributor {

		final List<Exception> failures = new CopyOnWriteArrayList<>();

		@Override
		public Collection<MetricSnapshot> contribute(JobExecution jobExecution) {
			if (!jobExecution.getJobInstance().getJobName().equals("variantJob")) {
				return List.of();
			}
			return List.of(GaugeSnapshot.builder()
				.name("variant_marker")
				.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(1).build())
				.build());
		}

		@Override
		public void pushFailed(PushGroup group, Exception failure, Duration duration) {
			this.failures.add(failure);
		}

	}

}
