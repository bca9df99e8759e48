package io.github.batchpushgateway.example.gdpr.metrics;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.h2.jdbcx.JdbcDataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deadline metrics' values, and what H2 reads for them: the first index entry per open
 * status, or the overdue requests' due days, however many requests wait.
 */
class OpenRequestDeadlinesTests {

	private static final LocalDate TODAY = LocalDate.of(2026, 12, 7);

	private final JdbcClient jdbc = database();

	private final OpenRequestDeadlines deadlines = new OpenRequestDeadlines(this.jdbc);

	@Test
	void oldestOpenRequestAndNextDeadlineSkipTheOverdueAndTheAnswered() {
		// given
		request("RECEIVED", TODAY.minusDays(40).atStartOfDay(), TODAY.minusDays(9)); // overdue
		request("VERIFIED", TODAY.minusDays(20).atStartOfDay(), TODAY.plusDays(10));
		request("FAILED", TODAY.minusDays(25).atStartOfDay(), TODAY.plusDays(3));
		request("COMPLETED", TODAY.minusDays(90).atStartOfDay(), TODAY.minusDays(60)); // answered
		request("ON_HOLD", TODAY.minusDays(80).atStartOfDay(), TODAY.plusDays(1)); // answered with reasons

		// when, then
		assertThat(this.deadlines.overdue(TODAY)).isOne();
		assertThat(this.deadlines.oldestReceived()).isEqualTo(TODAY.minusDays(40).atStartOfDay());
		assertThat(this.deadlines.nextDeadline(TODAY)).isEqualTo(TODAY.plusDays(3));
	}

	@Test
	void noOpenRequestHasNoDeadline() {
		// given
		request("COMPLETED", TODAY.minusDays(90).atStartOfDay(), TODAY.minusDays(60));

		// when, then
		assertThat(this.deadlines.overdue(TODAY)).isZero();
		assertThat(this.deadlines.oldestReceived()).isNull();
		assertThat(this.deadlines.nextDeadline(TODAY)).isNull();
	}

	@Test
	void eachValueReadsOneIndexEntryPerStatusHoweverManyRequestsWait() {
		// given: a run's worth of verified requests, none overdue
		for (int i = 0; i < 200; i++) {
			request("VERIFIED", TODAY.minusDays(5).atStartOfDay().plusMinutes(i), TODAY.plusDays(20 + i % 7));
		}

		// when, then
		assertThat(scanned(OpenRequestDeadlines.OLDEST_RECEIVED, "'VERIFIED'")).isOne();
		assertThat(scanned(OpenRequestDeadlines.NEXT_DUE, "'VERIFIED'", "DATE '" + TODAY + "'")).isOne();
	}

	@Test
	void overdueRequestsAreReadAsTheirDueDaysNotOneByOne() {
		// given: a backlog of 300 overdue requests due on three days, and requests due later
		for (int i = 0; i < 300; i++) {
			request(OpenRequestDeadlines.OPEN.get(i % 3), TODAY.minusDays(40).atStartOfDay(), TODAY.minusDays(1 + i % 3));
			request("VERIFIED", TODAY.minusDays(5).atStartOfDay(), TODAY.plusDays(20 + i % 7));
		}

		// when
		long overdue = this.deadlines.overdue(TODAY);

		// then: the three days' counts (and the first day not counted), the same number as counting the rows
		assertThat(overdue).isEqualTo(300)
			.isEqualTo(this.jdbc.sql("SELECT COUNT(*) FROM erasure_request WHERE status IN ('RECEIVED', 'VERIFIED', 'FAILED') AND due_on < ?")
				.param(TODAY)
				.query(Long.class)
				.single());
		assertThat(scanned(DueCounts.BEFORE, "'" + DueCountTrigger.OPEN_REQUEST + "'", "DATE '" + TODAY + "'"))
			.isLessThanOrEqualTo(4);
	}

	/**
	 * Index entries H2 read for a statement, its parameters written in.
	 */
	private int scanned(String sql, String... values) {
		String statement = sql;
		for (String value : values) {
			statement = statement.replaceFirst("\\?", value);
		}
		String plan = this.jdbc.sql("EXPLAIN ANALYZE " + statement).query(String.class).single();
		Matcher scanCount = Pattern.compile("scanCount: (\\d+)").matcher(plan);
		assertThat(scanCount.find()).as(plan).isTrue();
		return Integer.parseInt(scanCount.group(1));
	}

	private void request(String status, LocalDateTime receivedAt, @Nullable LocalDate dueOn) {
		this.jdbc.sql("""
				INSERT INTO erasure_request (subject_id, ground, received_at, due_on, status)
				VALUES (?, 'CONSENT_WITHDRAWN', ?, ?, ?)""").params(UUID.randomUUID(), receivedAt, dueOn, status).update();
	}

	private static JdbcClient database() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:mem:deadlines-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		new ResourceDatabasePopulator(new ClassPathResource("schema.sql")).execute(dataSource);
		return JdbcClient.create(dataSource);
	}

}
