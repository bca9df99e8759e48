package io.github.batchpushgateway.example.gdpr;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * Rows of a table whose value in an indexed text column is none of the values the job knows
 * (a status, a key fingerprint), found by reading only the index ranges between the known
 * values. A {@code GROUP BY} or {@code DISTINCT} over the column reads one index entry per row
 * of the table, every order or suppression entry ever made; the ranges between known values
 * hold only the rows in an unknown state, usually none, so the cost stays that of a few index
 * lookups however long the history.
 *
 * <p>Each range starts just above a known value: at the value followed by the character
 * {@code U+0000}, the smallest text that sorts after it. {@code column > 'DELIVERED'} would be
 * the same range, but H2 positions its index cursor at the first {@code 'DELIVERED'} entry and
 * walks past every one of them. Text sorts as H2 sorts it without a collation (by UTF-16 code
 * unit, as {@link String#compareTo}); the table and column names are the caller's constants,
 * never input.
 */
public final class UnknownValues {

	private static final String AFTER = "\u0000";

	private final JdbcClient jdbc;

	private final String table;

	private final String column;

	private final List<String> known;

	/**
	 * Creates an instance for a column.
	 * @param jdbc the database
	 * @param table the table
	 * @param column an indexed text column of the table
	 * @param known the values the job knows
	 */
	public UnknownValues(JdbcClient jdbc, String table, String column, Collection<String> known) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		Assert.hasText(table, "'table' must not be empty");
		Assert.hasText(column, "'column' must not be empty");
		Assert.notNull(known, "'known' must not be null");
		this.jdbc = jdbc;
		this.table = table;
		this.column = column;
		this.known = List.copyOf(new TreeSet<>(known));
	}

	/**
	 * Counts the rows whose value is set and none of the known values.
	 * @return the rows in an unknown state
	 */
	public long count() {
		long rows = 0;
		for (Range range : ranges()) {
			rows += range.where(this.jdbc.sql("SELECT COUNT(*) FROM " + this.table + " WHERE " + range.condition()))
				.query(Long.class)
				.single();
		}
		return rows;
	}

	/**
	 * Returns the values, set and unknown, that rows hold: one index lookup per value found
	 * and per range between known values.
	 * @return the distinct unknown values, sorted
	 */
	public List<String> values() {
		List<String> values = new ArrayList<>();
		for (Range range : ranges()) {
			Optional<String> next = range.first();
			while (next.isPresent()) {
				values.add(next.get());
				next = new Range(next.get() + AFTER, range.below()).first();
			}
		}
		return values;
	}

	/**
	 * Ranges between the known values, each from just above one (or from the start) to below
	 * the next (or to the end).
	 */
	private List<Range> ranges() {
		List<Range> ranges = new ArrayList<>();
		@Nullable String from = null;
		for (String value : this.known) {
			ranges.add(new Range(from, value));
			from = value + AFTER;
		}
		ranges.add(new Range(from, null));
		return ranges;
	}

	/**
	 * Values from {@code from} (inclusive) to {@code below} (exclusive), either open.
	 */
	private final class Range {

		private final @Nullable String from;

		private final @Nullable String below;

		Range(@Nullable String from, @Nullable String below) {
			this.from = from;
			this.below = below;
		}

		@Nullable String below() {
			return this.below;
		}

		String condition() {
			String column = UnknownValues.this.column;
			List<String> conditions = new ArrayList<>();
			if (this.from != null) {
				conditions.add(column + " >= :from");
			}
			if (this.below != null) {
				conditions.add(column + " < :below");
			}
			return conditions.isEmpty() ? column + " IS NOT NULL" : String.join(" AND ", conditions);
		}

		JdbcClient.StatementSpec where(JdbcClient.StatementSpec statement) {
			JdbcClient.StatementSpec bound = statement;
			if (this.from != null) {
				bound = bound.param("from", this.from);
			}
			if (this.below != null) {
				bound = bound.param("below", this.below);
			}
			return bound;
		}

		Optional<String> first() {
			String column = UnknownValues.this.column;
			return where(UnknownValues.this.jdbc.sql("SELECT " + column + " FROM " + UnknownValues.this.table + " WHERE "
					+ condition() + " ORDER BY " + column + " LIMIT 1"))
				.query(String.class)
				.optional();
		}

	}

}
