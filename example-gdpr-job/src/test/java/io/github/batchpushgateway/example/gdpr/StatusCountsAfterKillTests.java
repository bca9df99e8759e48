package io.github.batchpushgateway.example.gdpr;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.batchpushgateway.example.gdpr.metrics.DueCountTrigger;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code status_count}, {@code due_count} and the requests' replies out after a process is killed
 * ({@code SIGKILL}) in the middle of a transaction that changed statuses, with its uncommitted
 * changes already in the H2 file: the database takes the counts' changes back with the rows'
 * when it opens again.
 */
class StatusCountsAfterKillTests {

	private static final int REQUESTS = 300;

	@Test
	void aProcessKilledBeforeItsCommitLeavesTheCountsOfTheCommittedRows(@TempDir Path data) throws Exception {
		// given: a process in the middle of a transaction, its changes written to the file
		String java = ProcessHandle.current().info().command().orElse("java");
		Process writer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Writer.class.getName(),
				data.toString())
			.redirectErrorStream(true)
			.start();
		try (BufferedReader output = new BufferedReader(
				new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			do {
				line = output.readLine();
			}
			while (line != null && !line.equals("ready"));
			assertThat(line).as("the writer's output").isEqualTo("ready");

			// when
			writer.destroyForcibly();
			assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
		}

		// then
		JdbcClient jdbc = GdprDatabase.open(data);
		assertThat(KeptStatusCounts.kept(jdbc)).containsEntry(List.of("erasure_request", "VERIFIED", ""), (long) REQUESTS)
			.containsEntry(List.of("notification_outbox", "PENDING", ""), (long) REQUESTS);
		KeptStatusCounts.assertEqualToRows(jdbc);
		// the replies the killed transaction sent marked their requests: the marks went with it
		assertThat(jdbc.sql("SELECT COUNT(*) FROM erasure_request WHERE requester_replies_out > 0").query(Long.class).single())
			.isZero();
		KeptRequesterReplies.assertEqualToOutbox(jdbc);
		assertThat(KeptDueCounts.kept(jdbc)).containsOnly(
				Map.entry(List.of(DueCountTrigger.OPEN_REQUEST, LocalDate.of(2026, 12, 31)), (long) REQUESTS));
		KeptDueCounts.assertEqualToRows(jdbc);
	}

	/**
	 * The process killed: commits requests and messages, then changes every status and adds
	 * more in a transaction it never commits, and waits to be killed.
	 */
	static final class Writer {

		public static void main(String[] args) throws Exception {
			JdbcDataSource dataSource = new JdbcDataSource();
			dataSource.setURL("jdbc:h2:file:" + Path.of(args[0]).resolve("gdpr").toAbsolutePath());
			dataSource.setUser("sa");
			dataSource.setPassword("");
			new ResourceDatabasePopulator(new ClassPathResource("schema.sql")).execute(dataSource);
			try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
				statement.executeUpdate("""
						INSERT INTO erasure_request (subject_id, ground, received_at, due_on, status)
						SELECT RANDOM_UUID(), 'CONSENT_WITHDRAWN', CURRENT_TIMESTAMP, DATE '2026-12-31', 'VERIFIED'
						FROM SYSTEM_RANGE(1, %d)"""
					.formatted(REQUESTS));
				statement.executeUpdate("""
						INSERT INTO notification_outbox (request_id, recipient_key, message, endpoint, status, created_at)
						SELECT id, 'requester', 'ERASURE_CONFIRMATION', 'mailto', 'PENDING', CURRENT_TIMESTAMP
						FROM erasure_request""");
				connection.setAutoCommit(false);
				statement.executeUpdate("UPDATE erasure_request SET status = 'COMPLETED'");
				statement.executeUpdate("UPDATE notification_outbox SET status = 'SENT'");
				statement.executeUpdate("""
						INSERT INTO erasure_request (subject_id, ground, received_at, status)
						SELECT RANDOM_UUID(), 'CONSENT_WITHDRAWN', CURRENT_TIMESTAMP, 'RECEIVED' FROM SYSTEM_RANGE(1, 50)""");
				try (Connection other = dataSource.getConnection(); Statement checkpoint = other.createStatement()) {
					checkpoint.execute("CHECKPOINT"); // the uncommitted changes into the file
				}
				System.out.println("ready");
				Thread.sleep(TimeUnit.MINUTES.toMillis(5));
			}
		}

	}

}
