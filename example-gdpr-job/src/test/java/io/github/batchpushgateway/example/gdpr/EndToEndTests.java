package io.github.batchpushgateway.example.gdpr;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.batchpushgateway.testsupport.PrometheusServer;
import io.github.batchpushgateway.testsupport.PrometheusServer.QueryResult;
import io.github.batchpushgateway.testsupport.PushgatewayServer;
import io.github.batchpushgateway.testsupport.Promtool;
import io.github.batchpushgateway.testsupport.ToolResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application as {@code java -jar} runs it (one job, then exit with its outcome) on demo
 * data, against a real Pushgateway scraped every second by a real Prometheus that uses the
 * repository's {@code deploy/prometheus/prometheus.yml}. What PromQL returns must be what the
 * database left behind implies.
 */
class EndToEndTests {

	private static final String JOB = "gdprErasureJob";

	private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	private static PushgatewayServer gateway;

	private static PrometheusServer prometheus;

	@BeforeAll
	static void startGatewayAndPrometheus(@TempDir Path configDirectory) {
		gateway = PushgatewayServer.start();
		prometheus = PrometheusServer
			.start(DeployedPrometheusConfig.loopbackCopy(gateway.address(), Duration.ofSeconds(1), configDirectory));
	}

	@AfterAll
	static void stopThem() {
		prometheus.close();
		gateway.close();
	}

	@Test
	void runOnDemoDataLeavesItsOutcomeAndTheGdprGaugesTheDatabaseImpliesInPrometheus(@TempDir Path data) {
		// given
		LocalDateTime runStart = LocalDateTime.now(ZONE).withNano(0);
		double started = Instant.now().getEpochSecond();

		// when
		int exitCode = runApplication("--demo.data-dir=" + data, "--demo.customers=400",
				"--gdpr.suppression.hmac-key=end-to-end-suppression-key-0123456789abcdef");

		// then
		assertThat(exitCode).isZero();
		double finished = Instant.now().getEpochSecond() + 1;
		awaitValue("batch_job_status{job=\"" + JOB + "\",status=\"COMPLETED\"}", 1);
		assertThat(single("batch_job_last_success_timestamp_seconds{job=\"" + JOB + "\"}")).isBetween(started,
				finished);

		JdbcClient database = GdprDatabase.open(data);
		LocalDate today = LocalDate.now(ZONE);
		Map<String, String> states = Map.of("RECEIVED", "awaiting_identity", "VERIFIED", "verified", "ON_HOLD",
				"on_hold", "REJECTED", "deferred", "FAILED", "failed");
		states.forEach((status, state) -> assertThat(
				single("gdpr_erasure_requests_pending{job=\"" + JOB + "\",state=\"" + state + "\"}"))
			.as(state)
			.isEqualTo(count(database, "SELECT COUNT(*) FROM erasure_request WHERE status = ?", status)));
		String open = "status IN ('RECEIVED', 'VERIFIED', 'FAILED')";
		long overdue = count(database, "SELECT COUNT(*) FROM erasure_request WHERE " + open + " AND due_on < ?", today);
		assertThat(overdue).as("the demo data has overdue requests").isPositive();
		assertThat(single("gdpr_erasure_requests_overdue{job=\"" + JOB + "\"}")).isEqualTo(overdue);
		LocalDateTime oldest = database.sql("SELECT MIN(received_at) FROM erasure_request WHERE " + open)
			.query(LocalDateTime.class)
			.single();
		assertThat(single("gdpr_erasure_oldest_pending_request_received_timestamp_seconds{job=\"" + JOB + "\"}"))
			.isEqualTo(oldest.atZone(ZONE).toEpochSecond());
		// the earliest not overdue yet: the overdue ones above would otherwise hide it
		LocalDate nextDue = database.sql("SELECT MIN(due_on) FROM erasure_request WHERE " + open + " AND due_on >= ?")
			.param(today)
			.query(LocalDate.class)
			.optional()
			.orElseThrow(() -> new AssertionError("the demo data has open requests due after today"));
		assertThat(single("gdpr_erasure_next_deadline_timestamp_seconds{job=\"" + JOB + "\"}"))
			.isEqualTo(nextDue.plusDays(1).atStartOfDay(ZONE).toEpochSecond());
		assertThat(single("gdpr_erasure_recipient_notifications_pending{job=\"" + JOB + "\"}"))
			.isEqualTo(count(database, "SELECT COUNT(*) FROM notification_outbox WHERE status = 'PENDING'"));
		assertThat(count(database, """
				SELECT COUNT(*) FROM customer c JOIN erasure_request r ON r.subject_id = c.id
				WHERE r.status = 'COMPLETED'""")).isZero();
		assertThat(query("gdpr_erasure_verification_residual_records{job=\"" + JOB + "\"}")).hasSize(6)
			.allSatisfy((result) -> assertThat(result.value()).isZero());
		assertThat(single("gdpr_retention_expired_records{job=\"" + JOB + "\",table=\"invoice\"}")).isEqualTo(
				count(database, "SELECT COUNT(*) FROM invoice WHERE restricted = TRUE AND retain_until < ?", today));
		assertThat(single("gdpr_retention_expired_records{job=\"" + JOB + "\",table=\"erasure_request\"}"))
			.isEqualTo(count(database, """
					SELECT COUNT(*) FROM erasure_request WHERE requester_email IS NOT NULL
					AND status IN ('COMPLETED', 'NO_DATA_HELD')"""));
		assertThat(single("gdpr_unknown_status_records{job=\"" + JOB + "\",table=\"orders\"}")).isZero();
		assertThat(single("gdpr_suppression_key_usable{job=\"" + JOB + "\"}")).isOne();
		assertThat(single("gdpr_suppression_entries_without_key{job=\"" + JOB + "\"}")).isZero();

		assertLastRunRequests(database, runStart);
		assertLastRunRecords(database);
		assertRunMeters(database);
		String gdprMetrics = gateway.scrapeText()
			.lines()
			.filter((line) -> line.startsWith("gdpr_") || line.startsWith("# HELP gdpr_")
					|| line.startsWith("# TYPE gdpr_"))
			.collect(Collectors.joining("\n", "", "\n"));
		assertThat(gdprMetrics).contains("# TYPE gdpr_erasure_requests_pending gauge");
		ToolResult lint = Promtool.checkMetrics(gdprMetrics);
		assertThat(lint.isSuccess()).as(lint.output()).isTrue();
		assertThat(lint.output()).as("promtool check metrics findings").isBlank();
	}

	private void assertLastRunRequests(JdbcClient database, LocalDateTime runStart) {
		long completed = count(database,
				"SELECT COUNT(*) FROM erasure_request WHERE status = 'COMPLETED' AND completed_at >= ?", runStart);
		assertThat(completed).isPositive();
		assertThat(single("gdpr_erasure_last_run_requests{job=\"" + JOB + "\",outcome=\"completed\"}"))
			.isEqualTo(completed);
		for (String status : List.of("ON_HOLD", "REJECTED", "NO_DATA_HELD", "FAILED")) {
			long requests = count(database, "SELECT COUNT(*) FROM erasure_request WHERE status = ?", status);
			String outcome = status.equals("NO_DATA_HELD") ? "no_data" : status.toLowerCase(Locale.ROOT);
			assertThat(single("gdpr_erasure_last_run_requests{job=\"" + JOB + "\",outcome=\"" + outcome + "\"}"))
				.as(status)
				.isEqualTo(requests);
		}
	}

	private void assertLastRunRecords(JdbcClient database) {
		List<Map<String, Object>> audited = database
			.sql("SELECT table_name, action, SUM(row_count) AS records FROM erasure_audit GROUP BY table_name, action")
			.query()
			.listOfRows();
		assertThat(audited).extracting((row) -> row.get("TABLE_NAME") + "/" + row.get("ACTION"))
			.contains("customer/DELETED", "invoice/RESTRICTED", "invoice/DELETED", "orders/MINIMIZED",
					"suppression_entry/SUPPRESSED", "erasure_request/MINIMIZED");
		for (Map<String, Object> row : audited) {
			String selector = "gdpr_erasure_last_run_records{job=\"" + JOB + "\",table=\"" + row.get("TABLE_NAME")
					+ "\",action=\"" + row.get("ACTION").toString().toLowerCase(Locale.ROOT) + "\"}";
			assertThat(single(selector)).as(selector).isEqualTo(((Number) row.get("RECORDS")).doubleValue());
		}
	}

	/**
	 * What the run counted itself, through {@code BatchMeters}, as it happened. On a new
	 * database every message the outbox holds was handled by this run.
	 */
	private void assertRunMeters(JdbcClient database) {
		List<Map<String, Object>> sent = database
			.sql("SELECT recipient_key, COUNT(*) AS messages FROM notification_outbox WHERE status = 'SENT' GROUP BY recipient_key")
			.query()
			.listOfRows();
		assertThat(sent).extracting((row) -> row.get("RECIPIENT_KEY")).contains("requester", "ad-network");
		for (Map<String, Object> row : sent) {
			String selector = "gdpr_erasure_recipient_notifications_total{job=\"" + JOB + "\",recipient=\""
					+ row.get("RECIPIENT_KEY") + "\",outcome=\"delivered\"}";
			assertThat(single(selector)).as(selector).isEqualTo(((Number) row.get("MESSAGES")).doubleValue());
		}
		assertThat(single(runTotal("delivered")))
			.isEqualTo(count(database, "SELECT COUNT(*) FROM notification_outbox WHERE status = 'SENT'"));
		assertThat(single(runTotal("deferred"))).isEqualTo(
				count(database, "SELECT COUNT(*) FROM notification_outbox WHERE status = 'PENDING' AND attempts > 0"));
		assertThat(single(runTotal("given_up")))
			.isEqualTo(count(database, "SELECT COUNT(*) FROM notification_outbox WHERE status = 'UNDELIVERABLE'"));
		double requestsTimed = single("gdpr_erasure_request_duration_seconds_count{job=\"" + JOB + "\"}");
		assertThat(requestsTimed).as("every request the erase step wrote, timed once")
			.isPositive()
			.isEqualTo(single("batch_step_written_items_total{job=\"" + JOB + "\",step=\"eraseSubjects\"}"));
		assertThat(single("gdpr_erasure_request_duration_seconds_sum{job=\"" + JOB + "\"}")).isPositive();
	}

	private static String runTotal(String outcome) {
		return "sum(gdpr_erasure_recipient_notifications_total{job=\"" + JOB + "\",outcome=\"" + outcome
				+ "\"}) or vector(0)";
	}

	@Test
	void runWithoutTheSuppressionKeyErasesNothingButStillReportsDeadlinesAndTheKeyProblem(@TempDir Path data) {
		// when
		int exitCode = runApplication("--demo.data-dir=" + data, "--demo.customers=400",
				"--gdpr.suppression.hmac-key=");

		// then
		assertThat(exitCode).isNotZero();
		assertThat(gateway.metrics().require("batch_job_status", Map.of("job", JOB, "status", "FAILED"))).isOne();
		assertThat(gateway.metrics()
			.require("batch_step_status", Map.of("job", JOB, "step", "checkPreconditions", "status", "FAILED")))
			.isOne();
		JdbcClient database = GdprDatabase.open(data);
		assertThat(count(database, "SELECT COUNT(*) FROM customer")).isEqualTo(400);
		assertThat(count(database, "SELECT COUNT(*) FROM erasure_audit")).isZero();
		assertThat(database.sql("SELECT EXIT_MESSAGE FROM BATCH_STEP_EXECUTION WHERE STEP_NAME = 'checkPreconditions'")
			.query(String.class)
			.single()).contains("GDPR_SUPPRESSION_HMAC_KEY is not set");
		// deadlines do not depend on the key: overdue requests are reported as overdue
		long overdue = count(database,
				"SELECT COUNT(*) FROM erasure_request WHERE status IN ('RECEIVED', 'VERIFIED', 'FAILED') AND due_on < ?",
				LocalDate.now(ZONE));
		assertThat(overdue).as("the demo data has overdue requests").isPositive();
		assertThat(gateway.metrics().require("gdpr_erasure_requests_overdue", Map.of("job", JOB))).isEqualTo(overdue);
		assertThat(gateway.metrics().require("gdpr_suppression_key_usable", Map.of("job", JOB))).isZero();
	}

	private static int runApplication(String... arguments) {
		String[] withGateway = new String[arguments.length + 1];
		System.arraycopy(arguments, 0, withGateway, 0, arguments.length);
		withGateway[arguments.length] = "--batch.pushgateway.address=" + gateway.address();
		return SpringApplication.exit(SpringApplication.run(GdprErasureJobApplication.class, withGateway));
	}

	private static void awaitValue(String promql, double expected) {
		prometheus.awaitQuery(promql,
				(results) -> results.size() == 1 && Math.abs(results.get(0).value() - expected) < 1e-9, PATIENCE);
	}

	private static List<QueryResult> query(String promql) {
		return prometheus.query(promql);
	}

	private static double single(String promql) {
		List<QueryResult> results = query(promql);
		assertThat(results).as(promql).hasSize(1);
		return results.get(0).value();
	}

	private static long count(JdbcClient database, String sql, Object... params) {
		return database.sql(sql).params(params).query(Long.class).single();
	}

}
