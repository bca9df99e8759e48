package io.github.batchpushgateway.example.gdpr.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * Reads the distinct values of an indexed text column by stepping through its index: one
 * index seek per distinct value, however many rows hold them. {@code SELECT DISTINCT} and
 * {@code GROUP BY} read every row instead (H2 does not skip through an index), so the five
 * statuses of a million orders cost a million rows, more with every year of history.
 */
public final class IndexedDistinctValues {

	private IndexedDistinctValues() {
	}

	/**
	 * Returns the distinct non-null values of a column, in ascending order.
	 * @param jdbc the database
	 * @param table the table, a constant of the caller's (never input)
	 * @param column an indexed text column of that table, a constant of the caller's
	 * @return the distinct values
	 */
	public static List<String> of(JdbcClient jdbc, String table, String column) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		List<String> values = new ArrayList<>();
		// '' is the lowest string: ">= ''" is every non-null value, and an index range where IS NOT NULL is not
		Optional<String> value = first(jdbc, step(table, column, ">="), "");
		while (value.isPresent()) {
			values.add(value.get());
			value = first(jdbc, step(table, column, ">"), value.get());
		}
		return values;
	}

	/**
	 * The query of one step: the lowest value above (or from) a bound, read from the index in
	 * its order, so that H2 stops at the first entry.
	 */
	static String step(String table, String column, String comparison) {
		return "SELECT " + column + " FROM " + table + " WHERE " + column + " " + comparison + " ? ORDER BY " + column
				+ " LIMIT 1";
	}

	private static Optional<String> first(JdbcClient jdbc, String sql, String from) {
		return jdbc.sql(sql).param(from).query(String.class).optional();
	}

}
