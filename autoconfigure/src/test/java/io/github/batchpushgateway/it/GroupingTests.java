package io.github.batchpushgateway.it;

import java.util.List;
import java.util.Map;

import io.github.batchpushgateway.testsupport.PushgatewayServer;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Job names and grouping values that need encoding in the URL path land in the group they name.
 */
class GroupingTests {

	@Test
	void jobNamesWithSlashesSpacesPlusAndNonAsciiLandUnderTheirExactNames() {
		try (PushgatewayServer gateway = PushgatewayServer.start();
				TestBatchApplication application = TestBatchApplication.start(gateway.address())) {
			application.run("slashJob", new JobParameters());
			application.run("spaceJob", new JobParameters());
			application.run("accentJob", new JobParameters());

			for (String job : List.of("nightly/export", "weekly report", "rapport-été+1")) {
				assertThat(gateway.metrics().require("batch_job_status", Map.of("job", job, "status", "COMPLETED")))
					.as(job)
					.isEqualTo(1);
			}
			assertThat(gateway.groupLabels()).extracting((labels) -> labels.get("job"))
				.containsExactlyInAnyOrder("nightly/export", "weekly report", "rapport-été+1");
		}
	}

	@Test
	void groupingKeyAndParameterValuesWithSlashesSpacesNonAsciiAndEmptyValuesFormTheirOwnGroups() {
		try (PushgatewayServer gateway = PushgatewayServer.start();
				TestBatchApplication application = TestBatchApplication.start(gateway.address(),
						"batch.pushgateway.grouping-key.env=prod/eu west", "batch.pushgateway.grouping-key.team=équipe",
						"batch.pushgateway.grouping-parameters=run.region")) {
			// given runs with a region that needs encoding, and one without a region
			application.run("spaceJob", region("a/b c"));
			application.run("spaceJob", region("Zürich"));
			application.run("spaceJob", new JobParameters());

			// then each lands in its own group, with the values as given
			assertThat(gateway.groupLabels()).hasSize(3);
			for (String region : List.of("a/b c", "Zürich")) {
				assertThat(gateway.metrics()
					.require("batch_job_status", Map.of("job", "weekly report", "env", "prod/eu west", "team", "équipe",
							"run_region", region, "status", "COMPLETED")))
					.isEqualTo(1);
			}
			assertThat(gateway.metrics().samples("batch_job_running"))
				.filteredOn((sample) -> !sample.labels().containsKey("run_region")
						|| sample.labels().get("run_region").isEmpty())
				.singleElement()
				.satisfies((sample) -> assertThat(sample.labels()).containsEntry("job", "weekly report")
					.containsEntry("env", "prod/eu west"));
		}
	}

	private static JobParameters region(String region) {
		return new JobParametersBuilder().addString("run.region", region).toJobParameters();
	}

}
