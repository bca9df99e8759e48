package io.github.batchpushgateway.example.gdpr;

import java.time.Clock;

import io.github.batchpushgateway.autoconfigure.test.AutoConfigureBatchPushgateway;
import io.github.batchpushgateway.example.gdpr.job.GdprErasureJobConfiguration;
import io.github.batchpushgateway.testsupport.PushgatewayServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The erasure job in a Spring context on an in-memory H2 database, pushing to a real
 * Pushgateway (one per test JVM, shared by every context built from this class). Each test
 * starts from empty domain tables plus the five recipients. The tests check what reaches the
 * gateway, so they opt in to pushing, which tests do not do by default. Three subjects per
 * erase chunk: the few subjects of a test span several chunks, so commits, retries and skips
 * are exercised at chunk boundaries and inside a chunk.
 */
@SpringBootTest(classes = GdprErasureJobApplication.class,
		properties = { "spring.datasource.url=jdbc:h2:mem:gdpr-tests;DB_CLOSE_DELAY=-1", "spring.batch.job.enabled=false",
				"demo.customers=0", "gdpr.suppression.hmac-key=" + ErasureJobTestSupport.HMAC_KEY,
				"gdpr.erasure.retry-delay=5ms", "gdpr.erasure.chunk-size=3", "gdpr.notifications.initial-backoff=5ms",
				"gdpr.simulation.flaky-recipient=ad-network", "gdpr.simulation.flaky-every=1",
				"gdpr.simulation.flaky-failures=2" })
@SpringBatchTest
@AutoConfigureBatchPushgateway
abstract class ErasureJobTestSupport {

	static final String HMAC_KEY = "test-suppression-key-not-for-production-0123456789";

	private static PushgatewayServer gateway;

	@Autowired
	JobOperatorTestUtils jobs;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JdbcTemplate jdbcTemplate;

	@Autowired
	Clock clock;

	Shop shop;

	static synchronized PushgatewayServer gateway() {
		if (gateway == null) {
			gateway = PushgatewayServer.start(); // stopped by test-support at JVM exit
		}
		return gateway;
	}

	@DynamicPropertySource
	static void pushToTheGateway(DynamicPropertyRegistry registry) {
		registry.add("batch.pushgateway.address", () -> gateway().address());
	}

	@BeforeEach
	void emptyShop() {
		this.shop = new Shop(this.jdbc, this.clock);
		this.shop.reset();
	}

	/**
	 * Whatever the test did (a failed chunk, a restart, a skip, a message given up, another
	 * system's write), the counts the metrics read are the rows', each request's replies
	 * out, which the retention sweep and its metric read, are its messages', the audit
	 * totals the metrics read are the audit rows', and the overdue requests and restricted
	 * invoices counted per due day are the rows'.
	 */
	@AfterEach
	void statusCountsAreTheRows() {
		KeptStatusCounts.assertEqualToRows(this.jdbc);
		KeptRequesterReplies.assertEqualToOutbox(this.jdbc);
		KeptAuditTotals.assertEqualToAuditRows(this.jdbc);
		KeptDueCounts.assertEqualToRows(this.jdbc);
	}

	/**
	 * Runs the job as {@code java -jar} does: the next instance, parameters from the
	 * incrementer only.
	 */
	JobExecution runJob() throws Exception {
		return this.jobs.startJob(new JobParameters());
	}

	static String jobName() {
		return GdprErasureJobConfiguration.JOB_NAME;
	}

}
