package io.github.batchpushgateway.it;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.batchpushgateway.testsupport.PushgatewayServer;
import io.github.batchpushgateway.testsupport.ScrapedMetrics;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * However many runs happen, a job holds one group whose series are those of its last run: series
 * of steps the last run did not take and of earlier exit codes are gone.
 */
class GroupBoundTests {

	@Test
	void fiftyRunsWithDifferentStepsAndExitCodesLeaveOneGroupWithTheLastRunsSeries() {
		try (PushgatewayServer gateway = PushgatewayServer.start();
				TestBatchApplication application = TestBatchApplication.start(gateway.address())) {
			// given 50 runs, each taking one of three steps and ending with one of four exit codes
			JobExecution last = null;
			int seriesAfterTenRuns = 0;
			for (long variant = 0; variant < 50; variant++) {
				last = application.run("variantJob", new JobParametersBuilder().addLong("variant", variant).toJobParameters());
				if (variant == 9) {
					seriesAfterTenRuns = seriesOf(gateway.metrics()).size();
				}
			}

			// then the job has one group
			List<Map<String, String>> groups = gateway.groupLabels();
			assertThat(groups).filteredOn((labels) -> "variantJob".equals(labels.get("job"))).hasSize(1);

			// and only the last run's step and exit code
			ScrapedMetrics metrics = gateway.metrics();
			String lastStep = last.getStepExecutions().iterator().next().getStepName();
			assertThat(lastStep).isEqualTo("stepB"); // variant 49: 49 % 3 == 1
			assertThat(stepsIn(metrics, "batch_step_status")).containsExactly(lastStep);
			assertThat(stepsIn(metrics, "batch_step_read_items_total")).containsExactly(lastStep);
			assertThat(metrics.samples("batch_job_exit_info").stream()
				.filter((sample) -> "variantJob".equals(sample.labels().get("job")))
				.map((sample) -> sample.labels().get("exit_code"))).containsExactly("EXIT_1"); // 49 % 4 == 1
			assertThat(last.getExitStatus().getExitCode()).isEqualTo("EXIT_1");

			// and as many series as after ten runs
			assertThat(seriesOf(metrics)).hasSize(seriesAfterTenRuns);
		}
	}

	private static Set<String> stepsIn(ScrapedMetrics metrics, String name) {
		return metrics.samples(name).stream()
			.filter((sample) -> "variantJob".equals(sample.labels().get("job")))
			.map((sample) -> sample.labels().get("step"))
			.collect(Collectors.toSet());
	}

	private static List<ScrapedMetrics.Sample> seriesOf(ScrapedMetrics metrics) {
		return metrics.samples().stream().filter((sample) -> "variantJob".equals(sample.labels().get("job"))).toList();
	}

}
