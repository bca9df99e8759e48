package io.github.batchpushgateway.it;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.batchpushgateway.push.PushGroup;
import io.github.batchpushgateway.push.PushListener;
import io.github.batchpushgateway.testsupport.PushgatewayServer;
import io.github.batchpushgateway.testsupport.ScrapedMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * {@code batch.pushgateway.min-push-interval} against a real Pushgateway: the start and step ends
 * of short runs that follow each other are pushed together, never one push each, and each run's
 * end still reaches the gateway before the run returns.
 */
class PushPacingTests {

	private static final Duration MIN_PUSH_INTERVAL = Duration.ofSeconds(2);

	private static PushgatewayServer gateway;

	private static TestBatchApplication application;

	@BeforeAll
	static void start() {
		gateway = PushgatewayServer.start();
		application = TestBatchApplication.start(gateway.address(), "batch.pushgateway.progress-interval=10s",
				"batch.pushgateway.min-push-interval=" + MIN_PUSH_INTERVAL.toMillis() + "ms",
				"spring.main.sources=" + CountedPushes.class.getName());
	}

	@AfterAll
	static void stop() {
		application.close();
		gateway.close();
	}

	@Test
	void shortRunsInARowPushTheirEventsTogetherAndEachEndAtOnce() {
		// given a two-step job, whose start and two step ends would each be pushed without pacing
		AtomicInteger pushes = application.bean(CountedPushes.class).pushes;
		int runs = 8;
		long start = System.nanoTime();
		for (int run = 0; run < runs; run++) {
			// when it runs again and again
			JobExecution execution = application.run("twoStepJob",
					new JobParametersBuilder().addLong("items", 40L).toJobParameters());

			// then each run's end is in the gateway when the run returns
			assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
			ScrapedMetrics after = gateway.metrics();
			assertThat(after.require("batch_job_running", Map.of("job", "twoStepJob"))).isEqualTo(0);
			assertThat(after.require("batch_job_last_success_timestamp_seconds", Map.of("job", "twoStepJob")))
				.isCloseTo(JobLifecyclePushTests.epochSeconds(execution), offset(0.001));
		}
		long elapsed = System.nanoTime() - start;

		// and besides one push per end, at most one push per interval went out: the first run's start,
		// and the start of a run that began after an interval had passed
		long intervals = elapsed / MIN_PUSH_INTERVAL.toNanos() + 1;
		assertThat(pushes.get()).as("pushes of %d runs in %d ms", runs, elapsed / 1_000_000)
			.isBetween(runs, (int) (runs + intervals));
	}

	@Configuration(proxyBeanMethods = false)
	static class CountedPushes {

		final AtomicInteger pushes = new AtomicInteger();

		@Bean
		PushListener pushCounter() {
			return new PushListener() {

				@Override
				public void pushSucceeded(PushGroup group, Duration duration) {
					CountedPushes.this.pushes.incrementAndGet();
				}

			};
		}

	}

}
