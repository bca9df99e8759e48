package io.github.batchpushgateway.example.gdpr.metrics;

import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.batchpushgateway.example.gdpr.KeptDueCounts;
import org.h2.jdbcx.JdbcDataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code due_count} as {@link DueCountTrigger} keeps it: equal to the open requests per due
 * day and the restricted invoices per retention day after every kind of change, with the
 * row's transaction, a day's row gone with its last row; and the overdue and expired counts
 * read from it equal to counting the rows.
 */
class DueCountTriggerTests {

	private static final LocalDate TODAY = LocalDate.of(2026, 12, 8);

	private final JdbcDataSource dataSource = dataSource();

	private final JdbcClient jdbc = JdbcClient.create(this.dataSource);

	private final DueCounts dueCounts = new DueCounts(this.jdbc);

	private int invoices;

	@Test
	void mixedChangesOfRequestsAndInvoicesKeepTheCountsEqualToTheRows() {
		// given: requests received (no deadline yet), open with deadlines, answered; invoices plain and restricted
		long received = request("RECEIVED", null);
		long verified = request("VERIFIED", TODAY.minusDays(3));
		long failed = request("FAILED", TODAY.minusDays(3));
		long onTime = request("VERIFIED", TODAY.plusDays(10));
		request("COMPLETED", TODAY.minusDays(40));
		long plain = invoice(false, TODAY.plusYears(8));
		long legacy = invoice(false, null);
		long restricted = invoice(true, TODAY.minusDays(100));
		invoice(true, TODAY.plusYears(5));

		// when: every kind of change the job and other systems make
		update("UPDATE erasure_request SET due_on = ? WHERE id = ?", TODAY.minusDays(1), received); // deadlines step
		update("UPDATE erasure_request SET status = 'VERIFIED' WHERE id = ?", received); // identity verified: open to open
		update("UPDATE erasure_request SET status = 'COMPLETED' WHERE id = ?", verified); // erased
		update("UPDATE erasure_request SET status = 'ON_HOLD' WHERE id = ?", failed); // answered with reasons
		update("UPDATE erasure_request SET status = 'VERIFIED' WHERE id = ?", failed); // hold released
		update("UPDATE erasure_request SET due_on = ?, extended_deadline = ? WHERE id = ?", TODAY.plusDays(70),
				TODAY.plusDays(70), onTime); // extended
		update("DELETE FROM erasure_request WHERE status = 'COMPLETED'");
		update("UPDATE invoice SET restricted = TRUE, retain_until = ? WHERE id = ?", TODAY.minusDays(100), plain); // erasure
		update("UPDATE invoice SET restricted = TRUE, retain_until = ? WHERE id = ?", TODAY.plusYears(9), legacy);
		update("UPDATE invoice SET retain_until = ? WHERE id = ?", TODAY.minusDays(5), restricted); // retention changed
		update("DELETE FROM invoice WHERE restricted = TRUE AND retain_until < ? AND id <> ?", TODAY, restricted); // sweep

		// then
		assertThat(kept()).containsOnly(entry(DueCountTrigger.OPEN_REQUEST, TODAY.minusDays(1), 1),
				entry(DueCountTrigger.OPEN_REQUEST, TODAY.minusDays(3), 1),
				entry(DueCountTrigger.OPEN_REQUEST, TODAY.plusDays(70), 1),
				entry(DueCountTrigger.RESTRICTED_INVOICE, TODAY.minusDays(5), 1),
				entry(DueCountTrigger.RESTRICTED_INVOICE, TODAY.plusYears(5), 1),
				entry(DueCountTrigger.RESTRICTED_INVOICE, TODAY.plusYears(9), 1));
		KeptDueCounts.assertEqualToRows(this.jdbc);
		assertThat(this.dueCounts.before(DueCountTrigger.OPEN_REQUEST, TODAY)).isEqualTo(2).isEqualTo(overdueCounted());
		assertThat(this.dueCounts.before(DueCountTrigger.RESTRICTED_INVOICE, TODAY)).isOne().isEqualTo(expiredCounted());
	}

	@Test
	void theOverdueAndExpiredCountsAreTheRowsCountedOnEveryDay() {
		// given: requests and invoices due over a month around today, some changed, some removed
		for (int i = 0; i < 60; i++) {
			long request = request(OpenRequestDeadlines.OPEN.get(i % 3), TODAY.plusDays(i % 31 - 15));
			long invoice = invoice(i % 4 != 0, TODAY.plusDays(i % 29 - 14));
			if (i % 5 == 0) {
				update("UPDATE erasure_request SET status = 'COMPLETED' WHERE id = ?", request);
				update("DELETE FROM invoice WHERE id = ?", invoice);
			}
			if (i % 7 == 0) {
				update("UPDATE erasure_request SET due_on = due_on + 3 WHERE id = ?", request);
				update("UPDATE invoice SET restricted = NOT restricted WHERE id = ?", invoice);
			}
		}

		// when, then: whichever day is today
		for (LocalDate day = TODAY.minusDays(20); day.isBefore(TODAY.plusDays(20)); day = day.plusDays(1)) {
			assertThat(this.dueCounts.before(DueCountTrigger.OPEN_REQUEST, day)).as("overdue on %s", day)
				.isEqualTo(overdueCounted(day));
			assertThat(this.dueCounts.before(DueCountTrigger.RESTRICTED_INVOICE, day)).as("expired on %s", day)
				.isEqualTo(expiredCounted(day));
		}
		KeptDueCounts.assertEqualToRows(this.jdbc);
	}

	@Test
	void aDayIsNoLongerKeptOnceNothingIsDueOnIt() {
		// given
		long request = request("VERIFIED", TODAY.minusDays(2));
		long invoice = invoice(true, TODAY.minusDays(2));

		// when: the request is answered and the invoice swept
		update("UPDATE erasure_request SET status = 'COMPLETED' WHERE id = ?", request);
		update("DELETE FROM invoice WHERE id = ?", invoice);

		// then: no day left for a push to read
		assertThat(kept()).isEmpty();
	}

	@Test
	void aChangeThatKeepsTheDayChangesNoCount() {
		// given
		long request = request("RECEIVED", TODAY.plusDays(3));

		// when: identity verified, an attempt counted
		update("UPDATE erasure_request SET status = 'VERIFIED', attempts = attempts + 1 WHERE id = ?", request);

		// then
		assertThat(kept()).containsOnly(entry(DueCountTrigger.OPEN_REQUEST, TODAY.plusDays(3), 1));
	}

	@Test
	void aRollbackTakesTheCountsBackWithTheRows() throws Exception {
		// given
		long request = request("VERIFIED", TODAY.minusDays(1));
		long invoice = invoice(false, TODAY.minusDays(1));

		// when: a chunk erases the subject and restricts the invoice, then rolls back
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement()) {
			connection.setAutoCommit(false);
			statement.executeUpdate("UPDATE erasure_request SET status = 'COMPLETED' WHERE id = " + request);
			statement.executeUpdate("UPDATE invoice SET restricted = TRUE WHERE id = " + invoice);
			connection.rollback();
		}

		// then
		assertThat(kept()).containsOnly(entry(DueCountTrigger.OPEN_REQUEST, TODAY.minusDays(1), 1));
	}

	@Test
	void aDayEmptiedByOneTransactionWhileAnotherAddsToItCountsTheOther() throws Exception {
		// given
		long answered = request("VERIFIED", TODAY.plusDays(5));

		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement()) {
			connection.setAutoCommit(false);
			statement.executeUpdate("UPDATE erasure_request SET status = 'COMPLETED' WHERE id = " + answered);

			// when: another system receives a request due the same day meanwhile; it waits for the day's row lock
			CompletableFuture<Long> other = CompletableFuture.supplyAsync(() -> request("VERIFIED", TODAY.plusDays(5)));
			Thread.sleep(200);
			connection.commit();
			other.get(10, TimeUnit.SECONDS);
		}

		// then
		assertThat(kept()).containsOnly(entry(DueCountTrigger.OPEN_REQUEST, TODAY.plusDays(5), 1));
		KeptDueCounts.assertEqualToRows(this.jdbc);
	}

	@Test
	void aDatabaseFromBeforeTheCountsIsCountedOnceWhenTheSchemaRunsAgain() {
		// given: rows written before the counts were kept
		this.jdbc.sql("DROP TRIGGER erasure_request_due_count").update();
		this.jdbc.sql("DROP TRIGGER invoice_due_count").update();
		this.jdbc.sql("DROP TABLE due_count").update();
		request("VERIFIED", TODAY.minusDays(1));
		request("RECEIVED", TODAY.minusDays(1));
		request("COMPLETED", TODAY.minusDays(1));
		request("RECEIVED", null);
		invoice(true, TODAY.minusDays(1));
		invoice(false, TODAY.minusDays(1));

		// when: this version starts, then starts again
		schema(this.dataSource);
		schema(this.dataSource);

		// then
		assertThat(kept()).containsOnly(entry(DueCountTrigger.OPEN_REQUEST, TODAY.minusDays(1), 2),
				entry(DueCountTrigger.RESTRICTED_INVOICE, TODAY.minusDays(1), 1));
		update("UPDATE erasure_request SET status = 'COMPLETED' WHERE status = 'VERIFIED'");
		update("UPDATE invoice SET restricted = TRUE");
		KeptDueCounts.assertEqualToRows(this.jdbc);
	}

	@Test
	void aStartStoppedBetweenACountAndItsTriggerIsCountedAfreshAtTheNext() {
		// given: the counts made by a start stopped before it created the triggers
		this.jdbc.sql("DROP TRIGGER erasure_request_due_count").update();
		this.jdbc.sql("DROP TRIGGER invoice_due_count").update();
		request("VERIFIED", TODAY.minusDays(1));
		invoice(true, TODAY.minusDays(1));
		this.jdbc.sql("INSERT INTO due_count VALUES (?, ?, 1), (?, ?, 1)")
			.params(DueCountTrigger.OPEN_REQUEST, TODAY.minusDays(1), DueCountTrigger.RESTRICTED_INVOICE, TODAY.minusDays(1))
			.update();

		// when
		schema(this.dataSource);

		// then
		KeptDueCounts.assertEqualToRows(this.jdbc);
	}

	private long overdueCounted() {
		return overdueCounted(TODAY);
	}

	private long overdueCounted(LocalDate day) {
		return this.jdbc.sql("SELECT COUNT(*) FROM erasure_request WHERE status IN ('RECEIVED', 'VERIFIED', 'FAILED') AND due_on < ?")
			.param(day)
			.query(Long.class)
			.single();
	}

	private long expiredCounted() {
		return expiredCounted(TODAY);
	}

	private long expiredCounted(LocalDate day) {
		return this.jdbc.sql("SELECT COUNT(*) FROM invoice WHERE restricted = TRUE AND retain_until < ?")
			.param(day)
			.query(Long.class)
			.single();
	}

	private Map<List<Object>, Long> kept() {
		return KeptDueCounts.kept(this.jdbc);
	}

	private static Map.Entry<List<Object>, Long> entry(String kind, LocalDate day, long n) {
		return Map.entry(List.of(kind, day), n);
	}

	private void update(String sql, Object... params) {
		this.jdbc.sql(sql).params(params).update();
	}

	private long request(String status, @Nullable LocalDate dueOn) {
		return this.jdbc.sql("""
				SELECT id FROM FINAL TABLE (INSERT INTO erasure_request (subject_id, ground, received_at, due_on, status)
				VALUES (?, 'CONSENT_WITHDRAWN', CURRENT_TIMESTAMP, ?, ?))""")
			.params(UUID.randomUUID(), dueOn, status)
			.query(Long.class)
			.single();
	}

	private long invoice(boolean restricted, @Nullable LocalDate retainUntil) {
		return this.jdbc.sql("""
				SELECT id FROM FINAL TABLE (INSERT INTO invoice (number, issued_on, billing_name, billing_street,
				billing_postal_code, billing_city, billing_country, total_cents, retain_until, restricted)
				VALUES (?, ?, 'A. Name', '1 Street', '12345', 'Berlin', 'DE', 1000, ?, ?))""")
			.params("INV-" + (++this.invoices), TODAY.minusYears(1), retainUntil, restricted)
			.query(Long.class)
			.single();
	}

	private static JdbcDataSource dataSource() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:mem:due-count-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		schema(dataSource);
		return dataSource;
	}

	private static void schema(JdbcDataSource dataSource) {
		new ResourceDatabasePopulator(new ClassPathResource("schema.sql")).execute(dataSource);
	}

}
