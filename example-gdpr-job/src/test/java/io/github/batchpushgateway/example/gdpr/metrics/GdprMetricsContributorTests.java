package io.github.batchpushgateway.example.gdpr.metrics;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.UUID;

import io.github.batchpushgateway.example.gdpr.GdprProperties;
import io.github.batchpushgateway.example.gdpr.erasure.OrderContracts;
import io.github.batchpushgateway.example.gdpr.erasure.SuppressionKeys;
import io.github.batchpushgateway.example.gdpr.erasure.SuppressionList;
import io.github.batchpushgateway.example.gdpr.verification.ResidualData;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link GdprMetricsContributor} reports about its own cost (every push of an execution
 * counted, in wall and in CPU time, whichever object of the execution the push hands over), and
 * the requester addresses kept after the reply, the overdue requests and the expired invoices,
 * read from the counts kept with the rows.
 */
class GdprMetricsContributorTests {

	private static final LocalDateTime CREATED = LocalDateTime.of(2026, 12, 7, 10, 0);

	private final JdbcClient jdbc = database();

	private final GdprMetricsContributor contributor = contributor(this.jdbc);

	@Test
	void everyPushOfAnExecutionIsCountedWhenItsEndComesAsAnotherObject() {
		// given: two pushes of a running execution
		this.contributor.contribute(execution(1, CREATED));
		this.contributor.contribute(execution(1, CREATED));

		// when: its end, read again from the job repository
		Collection<MetricSnapshot> last = this.contributor.contribute(execution(1, CREATED));

		// then
		assertThat(pushes(last, "gdpr_metrics_contribution_seconds")).isEqualTo(3);
		assertThat(pushes(last, "gdpr_metrics_contribution_cpu_seconds")).isEqualTo(3);
	}

	@Test
	void anotherExecutionCountsFromItsFirstPush() {
		// given
		this.contributor.contribute(execution(1, CREATED));

		// when: the next execution, and one whose id a fresh job repository used again
		Collection<MetricSnapshot> next = this.contributor.contribute(execution(2, CREATED.plusDays(1)));
		Collection<MetricSnapshot> reused = this.contributor.contribute(execution(2, CREATED.plusDays(2)));

		// then
		assertThat(pushes(next, "gdpr_metrics_contribution_seconds")).isEqualTo(1);
		assertThat(pushes(reused, "gdpr_metrics_contribution_seconds")).isEqualTo(1);
	}

	@Test
	void requesterAddressesKeptAfterTheReplyAreTheAnsweredRequestsCountedWithAReplyOut() {
		// given: answered requests holding the address, their replies out or still queued, one address dropped,
		// and a refusal while a contract runs whose partial refusal was sent (its address is still needed)
		long confirmed = request("COMPLETED", "SENT");
		request("COMPLETED", "SENT");
		request("NO_DATA_HELD", "UNDELIVERABLE");
		request("COMPLETED", "PENDING");
		request("REJECTED", "SENT");
		this.jdbc.sql("UPDATE erasure_request SET requester_email = NULL WHERE id = ?").param(confirmed).update();

		// when
		Collection<MetricSnapshot> metrics = this.contributor.contribute(execution(1, CREATED));

		// then
		assertThat(gauge(metrics, "gdpr_retention_expired_records", "erasure_request")).isEqualTo(2);
	}

	@Test
	void overdueRequestsAndExpiredInvoicesAreTheRowsPastTheirDayCountedWithTheRows() {
		// given: open requests overdue, due today and later, an answered one overdue; restricted invoices
		// past retention, ending today and later, and one past retention that is not restricted
		LocalDate today = LocalDate.now();
		dueRequest("RECEIVED", today.minusDays(3));
		dueRequest("VERIFIED", today.minusDays(3));
		dueRequest("FAILED", today.minusDays(1));
		dueRequest("VERIFIED", today);
		dueRequest("VERIFIED", today.plusDays(9));
		dueRequest("COMPLETED", today.minusDays(30));
		invoice(true, today.minusYears(1));
		invoice(true, today.minusDays(1));
		invoice(true, today);
		invoice(false, today.minusYears(1));

		// when
		Collection<MetricSnapshot> metrics = this.contributor.contribute(execution(1, CREATED));

		// then: what counting the rows says
		assertThat(gauge(metrics, "gdpr_erasure_requests_overdue")).isEqualTo(3)
			.isEqualTo(counted("SELECT COUNT(*) FROM erasure_request WHERE status IN ('RECEIVED', 'VERIFIED', 'FAILED') AND due_on < ?", today));
		assertThat(gauge(metrics, "gdpr_retention_expired_records", "invoice")).isEqualTo(2)
			.isEqualTo(counted("SELECT COUNT(*) FROM invoice WHERE restricted = TRUE AND retain_until < ?", today));
	}

	private double counted(String sql, LocalDate today) {
		return this.jdbc.sql(sql).param(today).query(Long.class).single();
	}

	private void dueRequest(String status, LocalDate dueOn) {
		this.jdbc.sql("""
				INSERT INTO erasure_request (subject_id, ground, received_at, due_on, status)
				VALUES (RANDOM_UUID(), 'CONSENT_WITHDRAWN', LOCALTIMESTAMP, ?, ?)""")
			.params(dueOn, status)
			.update();
	}

	private void invoice(boolean restricted, LocalDate retainUntil) {
		this.jdbc.sql("""
				INSERT INTO invoice (number, issued_on, billing_name, billing_street, billing_postal_code, billing_city,
				billing_country, total_cents, retain_until, restricted)
				VALUES (LEFT(CAST(RANDOM_UUID() AS VARCHAR), 30), CURRENT_DATE, 'A. Name', '1 Street', '12345', 'Berlin', 'DE', 1000, ?, ?)""")
			.params(retainUntil, restricted)
			.update();
	}

	private static double gauge(Collection<MetricSnapshot> metrics, String name) {
		return metrics.stream()
			.filter((metric) -> metric.getMetadata().getPrometheusName().equals(name))
			.map(GaugeSnapshot.class::cast)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + name))
			.getDataPoints()
			.get(0)
			.getValue();
	}

	private long request(String status, String replyStatus) {
		this.jdbc.sql("""
				INSERT INTO erasure_request (subject_id, requester_email, ground, received_at, status)
				VALUES (RANDOM_UUID(), 'someone@example.org', 'CONSENT_WITHDRAWN', LOCALTIMESTAMP, ?)""")
			.param(status)
			.update();
		long request = this.jdbc.sql("SELECT MAX(id) FROM erasure_request").query(Long.class).single();
		this.jdbc.sql("""
				INSERT INTO notification_outbox (request_id, recipient_key, message, endpoint, status, created_at)
				VALUES (?, 'requester', 'ERASURE_CONFIRMATION', 'mailto', ?, LOCALTIMESTAMP)""")
			.params(request, replyStatus)
			.update();
		return request;
	}

	private static double gauge(Collection<MetricSnapshot> metrics, String name, String table) {
		return metrics.stream()
			.filter((metric) -> metric.getMetadata().getPrometheusName().equals(name))
			.map(GaugeSnapshot.class::cast)
			.flatMap((gauge) -> gauge.getDataPoints().stream())
			.filter((point) -> table.equals(point.getLabels().get("table")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + name + " of " + table))
			.getValue();
	}

	private static long pushes(Collection<MetricSnapshot> metrics, String name) {
		return metrics.stream()
			.filter((metric) -> metric.getMetadata().getPrometheusName().equals(name))
			.map(SummarySnapshot.class::cast)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + name))
			.getDataPoints()
			.get(0)
			.getCount();
	}

	private static JobExecution execution(long id, LocalDateTime created) {
		JobExecution execution = new JobExecution(id, new JobInstance(1L, "gdprErasureJob"), new JobParameters());
		execution.setCreateTime(created);
		return execution;
	}

	private static JdbcClient database() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:mem:contributor-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		new ResourceDatabasePopulator(new ClassPathResource("schema.sql")).execute(dataSource);
		JdbcClient jdbc = JdbcClient.create(dataSource);
		// the job repository's table, as much of it as the run's audit totals read
		jdbc.sql("CREATE TABLE BATCH_JOB_EXECUTION (JOB_EXECUTION_ID BIGINT PRIMARY KEY, JOB_INSTANCE_ID BIGINT)")
			.update();
		return jdbc;
	}

	private static GdprMetricsContributor contributor(JdbcClient jdbc) {
		GdprProperties properties = new GdprProperties();
		properties.getSuppression().setHmacKey("a-secret-key-of-at-least-32-characters!");
		SuppressionKeys keys = new SuppressionKeys(properties);
		Clock clock = Clock.systemDefaultZone();
		IntegrityCensus census = new IntegrityCensus(jdbc, new OrderContracts(jdbc, properties),
				new SuppressionList(jdbc, keys, clock));
		return new GdprMetricsContributor("gdprErasureJob", jdbc, new ResidualData(jdbc), new ErasureRunStatistics(),
				clock, keys, census);
	}

}
