package io.github.batchpushgateway.example.gdpr.metrics;

import java.time.LocalDate;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * How many rows of a kind fell due before a day, as {@link DueCountTrigger} keeps them per day
 * in {@code due_count}: the overdue requests and the invoices past retention, read as the range
 * of the days before today that some row is still due on, whatever the number of rows.
 */
final class DueCounts {

	static final String BEFORE = "SELECT COALESCE(SUM(n), 0) FROM due_count WHERE kind = ? AND due_on < ?";

	private final JdbcClient jdbc;

	DueCounts(JdbcClient jdbc) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		this.jdbc = jdbc;
	}

	/**
	 * Returns how many rows of a kind are due on a day before the given one.
	 * @param kind {@link DueCountTrigger#OPEN_REQUEST} or {@link DueCountTrigger#RESTRICTED_INVOICE}
	 * @param day the first day not counted (today, for what is overdue)
	 * @return the rows
	 */
	long before(String kind, LocalDate day) {
		return this.jdbc.sql(BEFORE).params(kind, day).query(Long.class).single();
	}

}
