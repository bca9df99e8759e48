package io.github.batchpushgateway.example.gdpr.metrics;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.batchpushgateway.example.gdpr.KeptStatusCounts;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code status_count} as {@link StatusCountTrigger} keeps it: equal to the rows per status,
 * and to the requests per status holding the requester's address with a reply out, after every
 * kind of change, with the row's transaction, whoever writes.
 */
class StatusCountTriggerTests {

	private final JdbcDataSource dataSource = dataSource();

	private final JdbcClient jdbc = JdbcClient.create(this.dataSource);

	@Test
	void insertsStatusChangesAndDeletesAreCounted() {
		// given
		long first = request("VERIFIED");
		long second = request("VERIFIED");
		request("RECEIVED");
		long message = message(first, "PENDING");
		message(second, "PENDING");

		// when
		this.jdbc.sql("UPDATE erasure_request SET status = 'COMPLETED' WHERE id = ?").param(first).update();
		this.jdbc.sql("UPDATE erasure_request SET status = 'REJECTED', reason_code = 'OPEN_CONTRACT' WHERE id = ?")
			.param(second)
			.update();
		this.jdbc.sql("UPDATE notification_outbox SET status = 'SENT' WHERE id = ?").param(message).update();
		this.jdbc.sql("DELETE FROM erasure_request WHERE status = 'RECEIVED'").update();

		// then
		assertThat(kept()).containsOnly(entry("erasure_request", "VERIFIED", "", 0), entry("erasure_request", "RECEIVED", "", 0),
				entry("erasure_request", "COMPLETED", "", 1), entry("erasure_request", "REJECTED", "OPEN_CONTRACT", 1),
				entry("notification_outbox", "PENDING", "", 1), entry("notification_outbox", "SENT", "", 1));
		KeptStatusCounts.assertEqualToRows(this.jdbc);
	}

	@Test
	void aChangeThatKeepsTheStatusChangesNoCount() {
		// given
		long request = request("VERIFIED");

		// when: a deadline computed, an attempt counted
		this.jdbc.sql("UPDATE erasure_request SET due_on = CURRENT_DATE, attempts = attempts + 1 WHERE id = ?")
			.param(request)
			.update();

		// then
		assertThat(kept()).containsOnly(entry("erasure_request", "VERIFIED", "", 1));
	}

	@Test
	void aGivenUpMessageIsCountedAsAcknowledgedOnceAPersonAcknowledgesIt() {
		// given
		long message = message(request("COMPLETED"), "UNDELIVERABLE");

		// when
		this.jdbc.sql("UPDATE notification_outbox SET acknowledged_at = CURRENT_TIMESTAMP WHERE id = ?")
			.param(message)
			.update();

		// then
		StatusCounts counts = StatusCounts.read(this.jdbc);
		assertThat(counts.messages("UNDELIVERABLE", false)).isZero();
		assertThat(counts.messages("UNDELIVERABLE", true)).isOne();
		KeptStatusCounts.assertEqualToRows(this.jdbc);
	}

	@Test
	void aStatusNoRowWasInBeforeIsCounted() {
		// when: another system writes a status the job does not know
		request("ESCALATED");

		// then
		assertThat(kept()).containsEntry(List.of("erasure_request", "ESCALATED", ""), 1L);
	}

	@Test
	void aRollbackTakesTheCountsBackWithTheRows() throws Exception {
		// given
		long first = request("VERIFIED");
		long second = request("VERIFIED");

		// when: a chunk whose second subject fails back to its savepoint, then all of it rolled back
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement()) {
			connection.setAutoCommit(false);
			statement.executeUpdate("UPDATE erasure_request SET status = 'COMPLETED' WHERE id = " + first);
			Savepoint savepoint = connection.setSavepoint();
			statement.executeUpdate("UPDATE erasure_request SET status = 'COMPLETED' WHERE id = " + second);
			connection.rollback(savepoint);
			assertThat(count(connection, "COMPLETED")).isOne();
			connection.rollback();
		}

		// then: even the count of the state the transaction created first is gone
		assertThat(kept()).containsOnly(entry("erasure_request", "VERIFIED", "", 2));
	}

	@Test
	void concurrentTransactionsMovingRowsBetweenTheSameStatesAreBothCounted() throws Exception {
		// given
		long first = request("VERIFIED");
		long second = request("VERIFIED");

		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement()) {
			connection.setAutoCommit(false);
			statement.executeUpdate("UPDATE erasure_request SET status = 'COMPLETED' WHERE id = " + first);

			// when: another transaction completes the other request meanwhile; it waits for the counts' row lock
			CompletableFuture<Integer> other = CompletableFuture.supplyAsync(
					() -> this.jdbc.sql("UPDATE erasure_request SET status = 'COMPLETED' WHERE id = ?").param(second).update());
			Thread.sleep(200);
			connection.commit();
			assertThat(other.get(10, TimeUnit.SECONDS)).isOne();
		}

		// then
		assertThat(kept()).containsOnly(entry("erasure_request", "VERIFIED", "", 0), entry("erasure_request", "COMPLETED", "", 2));
	}

	@Test
	void aDatabaseFromBeforeTheCountsIsCountedOnceWhenTheSchemaRunsAgain() {
		// given: rows written before the counts were kept
		this.jdbc.sql("DROP TRIGGER erasure_request_status_count").update();
		this.jdbc.sql("DROP TRIGGER notification_outbox_status_count").update();
		this.jdbc.sql("DROP TABLE status_count").update();
		long request = request("COMPLETED");
		request("VERIFIED");
		message(request, "UNDELIVERABLE");

		// when: this version starts, then starts again
		schema(this.dataSource);
		schema(this.dataSource);

		// then
		assertThat(kept()).containsOnly(entry("erasure_request", "COMPLETED", "", 1), entry("erasure_request", "VERIFIED", "", 1),
				entry("notification_outbox", "UNDELIVERABLE", "", 1));
		this.jdbc.sql("UPDATE erasure_request SET status = 'COMPLETED' WHERE status = 'VERIFIED'").update();
		KeptStatusCounts.assertEqualToRows(this.jdbc);
	}

	@Test
	void aRequestHoldingTheAddressIsCountedAsAContactOnceItsReplyIsOutUntilTheAddressIsDropped() {
		// given: an erased request and its queued confirmation
		long request = requestHoldingAnAddress("COMPLETED");
		long reply = message(request, "PENDING");
		Map<List<String>, Long> queued = kept();

		// when: the reply goes out (its trigger counts it on the request), then the sweep drops the address
		this.jdbc.sql("UPDATE notification_outbox SET status = 'SENT' WHERE id = ?").param(reply).update();
		Map<List<String>, Long> replied = kept();
		this.jdbc.sql("UPDATE erasure_request SET requester_email = NULL WHERE id = ?").param(request).update();

		// then
		assertThat(queued).containsOnly(entry("erasure_request", "COMPLETED", "", 1),
				entry("notification_outbox", "PENDING", "", 1));
		assertThat(replied).containsOnly(entry("erasure_request", "COMPLETED", "", 1),
				entry("notification_outbox", "PENDING", "", 0), entry("notification_outbox", "SENT", "", 1),
				entry(StatusCountTrigger.REQUESTER_CONTACT, "COMPLETED", StatusCountTrigger.REPLY_OUT, 1));
		assertThat(kept()).containsOnly(entry("erasure_request", "COMPLETED", "", 1),
				entry("notification_outbox", "PENDING", "", 0), entry("notification_outbox", "SENT", "", 1),
				entry(StatusCountTrigger.REQUESTER_CONTACT, "COMPLETED", StatusCountTrigger.REPLY_OUT, 0));
		KeptStatusCounts.assertEqualToRows(this.jdbc);
	}

	@Test
	void aContactMovesWithItsRequestsStatusAndGoesWhenItsLastReplyIsQueuedAgainOrDeleted() {
		// given: a refusal while a contract runs, its partial refusal sent, and another request's reply given up
		long deferred = requestHoldingAnAddress("REJECTED");
		message(deferred, "SENT");
		long other = requestHoldingAnAddress("NO_DATA_HELD");
		long givenUp = message(other, "UNDELIVERABLE");

		// when: the contract ended and the request is erased; the given-up reply is queued again and then removed
		this.jdbc.sql("UPDATE erasure_request SET status = 'COMPLETED' WHERE id = ?").param(deferred).update();
		this.jdbc.sql("UPDATE notification_outbox SET status = 'PENDING' WHERE id = ?").param(givenUp).update();
		this.jdbc.sql("DELETE FROM notification_outbox WHERE id = ?").param(givenUp).update();

		// then
		assertThat(kept()).containsOnly(entry("erasure_request", "REJECTED", "", 0), entry("erasure_request", "COMPLETED", "", 1),
				entry("erasure_request", "NO_DATA_HELD", "", 1), entry("notification_outbox", "SENT", "", 1),
				entry("notification_outbox", "UNDELIVERABLE", "", 0), entry("notification_outbox", "PENDING", "", 0),
				entry(StatusCountTrigger.REQUESTER_CONTACT, "REJECTED", StatusCountTrigger.REPLY_OUT, 0),
				entry(StatusCountTrigger.REQUESTER_CONTACT, "COMPLETED", StatusCountTrigger.REPLY_OUT, 1),
				entry(StatusCountTrigger.REQUESTER_CONTACT, "NO_DATA_HELD", StatusCountTrigger.REPLY_OUT, 0));
		KeptStatusCounts.assertEqualToRows(this.jdbc);
	}

	@Test
	void aRolledBackReplyTakesItsContactCountBack() throws Exception {
		// given
		long request = requestHoldingAnAddress("COMPLETED");
		long reply = message(request, "PENDING");

		// when: the reply is sent in a transaction that is rolled back
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement()) {
			connection.setAutoCommit(false);
			statement.executeUpdate("UPDATE notification_outbox SET status = 'SENT' WHERE id = " + reply);
			connection.rollback();
		}

		// then
		assertThat(kept()).doesNotContainKey(List.of(StatusCountTrigger.REQUESTER_CONTACT, "COMPLETED", StatusCountTrigger.REPLY_OUT));
		KeptStatusCounts.assertEqualToRows(this.jdbc);
	}

	@Test
	void aDatabaseFromBeforeTheContactCountIsCountedOnceWhenTheSchemaRunsAgain() {
		// given: requests holding an address with their replies out, counted by the status counts only
		long completed = requestHoldingAnAddress("COMPLETED");
		message(completed, "SENT");
		long noData = requestHoldingAnAddress("NO_DATA_HELD");
		message(noData, "UNDELIVERABLE");
		message(requestHoldingAnAddress("COMPLETED"), "PENDING");
		this.jdbc.sql("DELETE FROM status_count WHERE table_name = ?").param(StatusCountTrigger.REQUESTER_CONTACT).update();

		// when: this version starts, then starts again
		schema(this.dataSource);
		schema(this.dataSource);

		// then
		assertThat(kept()).contains(entry(StatusCountTrigger.REQUESTER_CONTACT, "COMPLETED", StatusCountTrigger.REPLY_OUT, 1),
				entry(StatusCountTrigger.REQUESTER_CONTACT, "NO_DATA_HELD", StatusCountTrigger.REPLY_OUT, 1));
		this.jdbc.sql("UPDATE erasure_request SET requester_email = NULL WHERE id = ?").param(completed).update();
		KeptStatusCounts.assertEqualToRows(this.jdbc);
	}

	private Map<List<String>, Long> kept() {
		return KeptStatusCounts.kept(this.jdbc);
	}

	private static Map.Entry<List<String>, Long> entry(String table, String status, String qualifier, long n) {
		return Map.entry(List.of(table, status, qualifier), n);
	}

	private static long count(Connection connection, String status) throws Exception {
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT n FROM status_count WHERE table_name = 'erasure_request' AND status = '"
						+ status + "'")) {
			return rs.next() ? rs.getLong(1) : 0;
		}
	}

	private long request(String status) {
		this.jdbc.sql("""
				INSERT INTO erasure_request (subject_id, ground, received_at, status)
				VALUES (?, 'CONSENT_WITHDRAWN', CURRENT_TIMESTAMP, ?)""").params(UUID.randomUUID(), status).update();
		return this.jdbc.sql("SELECT MAX(id) FROM erasure_request").query(Long.class).single();
	}

	private long requestHoldingAnAddress(String status) {
		this.jdbc.sql("""
				INSERT INTO erasure_request (subject_id, requester_email, ground, received_at, status)
				VALUES (?, 'someone@example.org', 'CONSENT_WITHDRAWN', CURRENT_TIMESTAMP, ?)""")
			.params(UUID.randomUUID(), status)
			.update();
		return this.jdbc.sql("SELECT MAX(id) FROM erasure_request").query(Long.class).single();
	}

	private long message(long request, String status) {
		this.jdbc.sql("""
				INSERT INTO notification_outbox (request_id, recipient_key, message, endpoint, status, created_at)
				VALUES (?, 'requester', 'ERASURE_CONFIRMATION', 'mailto', ?, CURRENT_TIMESTAMP)""")
			.params(request, status)
			.update();
		return this.jdbc.sql("SELECT MAX(id) FROM notification_outbox").query(Long.class).single();
	}

	private static JdbcDataSource dataSource() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:mem:status-count-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		schema(dataSource);
		return dataSource;
	}

	private static void schema(JdbcDataSource dataSource) {
		new ResourceDatabasePopulator(new ClassPathResource("schema.sql")).execute(dataSource);
	}

}
