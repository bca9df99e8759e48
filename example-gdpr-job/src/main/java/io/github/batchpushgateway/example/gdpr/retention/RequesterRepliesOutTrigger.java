package io.github.batchpushgateway.example.gdpr.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import io.github.batchpushgateway.example.gdpr.erasure.NotificationQueue;
import org.h2.api.Trigger;
import org.jspecify.annotations.Nullable;

/**
 * Keeps {@code erasure_request.requester_replies_out} equal to the request's messages to the
 * requester that are out: delivered ({@code SENT}) or given up ({@code UNDELIVERABLE}). Declared
 * in {@code schema.sql} as an H2 row trigger on {@code notification_outbox}, so that
 * {@link RequesterContacts} finds the requests whose address has served its purpose as an index
 * range of those requests alone, where a lookup in the outbox per request read every request the
 * run completed (45,000 at 1,000,000 demo customers) at every push until the retention sweep. Its
 * change is an update of the request, so the request's {@code StatusCountTrigger} counts the
 * requests holding an address with a reply out for the metric, which reads no range at all.
 *
 * <p>A count, not a flag: a request may have several replies (a hold notice, then the erasure
 * confirmation once the hold is released), and one of them queued again (a given-up message
 * sent back to {@code PENDING}) must leave the request marked while another is still out, which
 * a flag could only tell by reading the request's other messages. A trigger, not the job's code,
 * keeps it: it runs in the transaction that changes the message, whoever writes it, so a
 * rollback, a savepoint rolled back or a process killed before its commit take the count's
 * change back with the message's.
 */
public final class RequesterRepliesOutTrigger implements Trigger {

	private static final String ADD = "UPDATE erasure_request SET requester_replies_out = requester_replies_out + ? WHERE id = ?";

	private int requestId;

	private int recipientKey;

	private int status;

	@Override
	public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type)
			throws SQLException {
		Map<String, Integer> columns = new HashMap<>();
		try (ResultSet rs = conn.getMetaData().getColumns(null, schemaName, tableName, null)) {
			while (rs.next()) {
				// a row holds the table's columns in their order, from 0
				columns.put(rs.getString("COLUMN_NAME"), rs.getInt("ORDINAL_POSITION") - 1);
			}
		}
		this.requestId = position(columns, "REQUEST_ID");
		this.recipientKey = position(columns, "RECIPIENT_KEY");
		this.status = position(columns, "STATUS");
	}

	@Override
	public void fire(Connection conn, Object @Nullable [] oldRow, Object @Nullable [] newRow) throws SQLException {
		Long wasOut = (oldRow != null) ? requestOfReplyOut(oldRow) : null;
		Long isOut = (newRow != null) ? requestOfReplyOut(newRow) : null;
		if (Objects.equals(wasOut, isOut)) {
			// most changes: a message to a recipient, one queued, an attempt counted, a give-up acknowledged
			return;
		}
		if (wasOut != null) {
			add(conn, wasOut, -1);
		}
		if (isOut != null) {
			add(conn, isOut, 1);
		}
	}

	/** The request of a reply to the requester that is out, or {@code null} for any other message. */
	private @Nullable Long requestOfReplyOut(Object[] row) {
		Object status = row[this.status];
		boolean out = "SENT".equals(status) || "UNDELIVERABLE".equals(status);
		return (out && NotificationQueue.REQUESTER.equals(row[this.recipientKey])) ? ((Number) row[this.requestId]).longValue()
				: null;
	}

	private static void add(Connection conn, long requestId, int delta) throws SQLException {
		try (PreparedStatement statement = conn.prepareStatement(ADD)) {
			statement.setInt(1, delta);
			statement.setLong(2, requestId);
			statement.executeUpdate();
		}
	}

	private static int position(Map<String, Integer> columns, String column) throws SQLException {
		Integer position = columns.get(column);
		if (position == null) {
			throw new SQLException("requester_replies_out needs the column " + column + " of notification_outbox");
		}
		return position;
	}

}
