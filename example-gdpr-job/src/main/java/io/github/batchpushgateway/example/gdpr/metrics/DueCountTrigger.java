package io.github.batchpushgateway.example.gdpr.metrics;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.h2.api.Trigger;
import org.jspecify.annotations.Nullable;

/**
 * Keeps {@code due_count} equal to the rows that fall due on each day: the open erasure
 * requests per {@code due_on} ({@value #OPEN_REQUEST}) and the restricted invoices per
 * {@code retain_until} ({@value #RESTRICTED_INVOICE}), so that the metrics read how many are
 * overdue or past retention as the few days before today, not as an index range of every such
 * row (7,500 overdue requests and 5,000 expired invoices in the demo's shop of 1,000,000
 * customers). Declared in {@code schema.sql} as an H2 row trigger on {@code erasure_request}
 * and {@code invoice}.
 *
 * <p>Whether a row is overdue depends on today's date, which no change of the row tells: the
 * count is kept per day, and a push adds up the days before today. A day's row exists while
 * some row falls due on it, and is deleted when its count reaches zero, so the days a push
 * reads are those of the backlog, not every day a request or invoice was ever due.
 *
 * <p>As {@link StatusCountTrigger}, it runs in the transaction that changes the row, whoever
 * writes it (the deadlines step, the erasure restricting invoices, the retention sweep deleting
 * them, another system receiving requests, the demo's generator), so a rollback takes the
 * count's change back with the row's. A change that keeps the row's day, or keeps it uncounted
 * (a status change between open statuses, an attempt counted, an invoice that is not
 * restricted), costs a comparison and no statement.
 */
public final class DueCountTrigger implements Trigger {

	/**
	 * {@code due_count.kind} of the open requests (awaiting identity, verified, failed) per
	 * {@code due_on}, the day their answer is due.
	 */
	public static final String OPEN_REQUEST = "open_request";

	/**
	 * {@code due_count.kind} of the restricted invoices per {@code retain_until}, the last day
	 * they must be kept.
	 */
	public static final String RESTRICTED_INVOICE = "restricted_invoice";

	private static final String ADD = "UPDATE due_count SET n = n + ? WHERE kind = ? AND due_on = ?";

	private static final String CREATE = "INSERT INTO due_count (kind, due_on, n) VALUES (?, ?, ?)";

	// below zero too: a row removed from a day with no count (one written before the trigger
	// existed) must not leave a negative count behind
	private static final String DELETE_EMPTY = "DELETE FROM due_count WHERE kind = ? AND due_on = ? AND n <= 0";

	private String kind = "";

	/** The day column. */
	private int day;

	/** The column telling whether the row is counted: a request's status, an invoice's restriction. */
	private int counted;

	@Override
	public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type)
			throws SQLException {
		String table = tableName.toLowerCase(Locale.ROOT);
		Map<String, Integer> columns = CountRows.columns(conn, schemaName, tableName);
		String counts = "due_count of " + table;
		switch (table) {
			case "erasure_request" -> {
				this.kind = OPEN_REQUEST;
				this.day = CountRows.position(columns, "DUE_ON", counts);
				this.counted = CountRows.position(columns, "STATUS", counts);
			}
			case "invoice" -> {
				this.kind = RESTRICTED_INVOICE;
				this.day = CountRows.position(columns, "RETAIN_UNTIL", counts);
				this.counted = CountRows.position(columns, "RESTRICTED", counts);
			}
			default -> throw new SQLException("due_count is not kept for table " + tableName);
		}
	}

	@Override
	public void fire(Connection conn, Object @Nullable [] oldRow, Object @Nullable [] newRow) throws SQLException {
		LocalDate removed = (oldRow != null) ? dueOn(oldRow) : null;
		LocalDate added = (newRow != null) ? dueOn(newRow) : null;
		if (Objects.equals(removed, added)) {
			return;
		}
		// the earlier day first whatever the change, so that two transactions moving rows
		// between the same two days take the counts' row locks in the same order
		if (removed != null && (added == null || removed.isBefore(added))) {
			remove(conn, removed);
			if (added != null) {
				add(conn, added, 1);
			}
		}
		else {
			add(conn, Objects.requireNonNull(added), 1);
			if (removed != null) {
				remove(conn, removed);
			}
		}
	}

	/** The day the row is counted on, or {@code null} where it is not counted. */
	private @Nullable LocalDate dueOn(Object[] row) {
		Object day = row[this.day];
		if (day == null || !isCounted(row[this.counted])) {
			return null;
		}
		return (day instanceof java.sql.Date date) ? date.toLocalDate() : (LocalDate) day;
	}

	private boolean isCounted(@Nullable Object value) {
		return OPEN_REQUEST.equals(this.kind) ? OpenRequestDeadlines.OPEN.contains(value) : Boolean.TRUE.equals(value);
	}

	// the day's row goes with its last row, so that the days a push reads stay those of the
	// backlog; the row is locked by the update, so no other transaction adds to it meanwhile
	private void remove(Connection conn, LocalDate day) throws SQLException {
		add(conn, day, -1);
		CountRows.update(conn, DELETE_EMPTY, this.kind, day);
	}

	private void add(Connection conn, LocalDate day, int delta) throws SQLException {
		CountRows.add(conn, ADD, new Object[] { delta, this.kind, day }, CREATE, new Object[] { this.kind, day, delta });
	}

}
