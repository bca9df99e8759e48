package io.github.batchpushgateway.example.gdpr.metrics;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.h2.api.Trigger;
import org.jspecify.annotations.Nullable;

/**
 * Keeps {@code status_count} equal to the rows of {@code erasure_request} and
 * {@code notification_outbox} per status, so that the metrics read how many requests and
 * messages wait in each state as a handful of rows at every push instead of counting an index
 * range entry by entry (45,000 verified requests at the start of a run at 1,000,000 demo
 * customers, 96,000 queued messages after its erasures). Declared in {@code schema.sql} as an
 * H2 row trigger on both tables.
 *
 * <p>A trigger, not the job's code, keeps the counts: it runs in the transaction that changes
 * the row, whoever writes it (the job's steps, another system receiving requests or recording
 * an identity verification, a person acknowledging a given-up message, a test's fixture), so
 * a rollback, a savepoint rolled back, a process killed before its commit or a concurrent run
 * take the counts' changes back or apply them with the rows'. Two transactions changing the
 * same count wait for each other's row lock, as for any row. A change that leaves a row's
 * count key as it was (a deadline computed, an attempt counted) costs a comparison and no
 * statement.
 *
 * <p>The key is the status and a qualifier the metrics need: a request's reason code (a
 * refusal is pending only while a contract runs), and whether a message's give-up was
 * acknowledged ({@value #ACKNOWLEDGED}) or not (empty).
 *
 * <p>A request is counted a second time, under {@value #REQUESTER_CONTACT} and its status
 * (qualifier {@value #REPLY_OUT}), while it holds the requester's address and a reply to the
 * requester is out ({@code requester_replies_out}, which {@code RequesterRepliesOutTrigger}
 * keeps on the request, so that its change is a change of the request's row and fires this
 * trigger): the answered ones among them are the addresses the retention sweep drops, which
 * the metric read as an index range of every such request, between a run's confirmations and
 * its sweep some 45,000 at 1,000,000 demo customers. The request's trigger keeps it because
 * all three things it depends on are the request's columns: its status, its address (dropped
 * by the sweep) and its replies out.
 */
public final class StatusCountTrigger implements Trigger {

	/**
	 * Qualifier of a message whose give-up the data-protection officer acknowledged.
	 */
	public static final String ACKNOWLEDGED = "ACKNOWLEDGED";

	/**
	 * {@code status_count.table_name} of the requests, per status, holding the requester's
	 * address with a reply to the requester out.
	 */
	public static final String REQUESTER_CONTACT = "requester_contact";

	/**
	 * Qualifier of the {@value #REQUESTER_CONTACT} counts: the reply is out.
	 */
	public static final String REPLY_OUT = "REPLY_OUT";

	private static final String ADD = "UPDATE status_count SET n = n + ? WHERE table_name = ? AND status = ? AND qualifier = ?";

	private static final String CREATE = "INSERT INTO status_count (table_name, status, qualifier, n) VALUES (?, ?, ?, ?)";

	private String table = "";

	private int status;

	private int qualifier;

	private boolean qualifierIsAcknowledgement;

	/** The request's address column, or -1 where no requester contact is counted (the outbox). */
	private int requesterEmail = -1;

	private int requesterRepliesOut = -1;

	@Override
	public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type)
			throws SQLException {
		Map<String, Integer> columns = CountRows.columns(conn, schemaName, tableName);
		this.table = tableName.toLowerCase(Locale.ROOT);
		this.status = position(columns, "STATUS");
		switch (this.table) {
			case "erasure_request" -> {
				this.qualifier = position(columns, "REASON_CODE");
				// absent in a database from before the replies out were kept, which an earlier
				// version goes on writing until schema.sql adds it: no contact is out there
				Integer repliesOut = columns.get("REQUESTER_REPLIES_OUT");
				if (repliesOut != null) {
					this.requesterEmail = position(columns, "REQUESTER_EMAIL");
					this.requesterRepliesOut = repliesOut;
				}
			}
			case "notification_outbox" -> {
				this.qualifier = position(columns, "ACKNOWLEDGED_AT");
				this.qualifierIsAcknowledgement = true;
			}
			default -> throw new SQLException("status_count is not kept for table " + tableName);
		}
	}

	@Override
	public void fire(Connection conn, Object @Nullable [] oldRow, Object @Nullable [] newRow) throws SQLException {
		List<Key> removed = (oldRow != null) ? keys(oldRow) : List.of();
		List<Key> added = (newRow != null) ? keys(newRow) : List.of();
		if (removed.equals(added)) {
			return;
		}
		List<Change> changes = new ArrayList<>(4);
		removed.stream().filter((key) -> !added.contains(key)).forEach((key) -> changes.add(new Change(key, -1)));
		added.stream().filter((key) -> !removed.contains(key)).forEach((key) -> changes.add(new Change(key, 1)));
		// in one order whatever the change, so that two transactions moving rows between the
		// same two states take the counts' row locks in the same order
		changes.sort(Comparator.comparing((Change change) -> change.key().table())
			.thenComparing((change) -> change.key().status())
			.thenComparing((change) -> change.key().qualifier()));
		for (Change change : changes) {
			add(conn, change.key(), change.delta());
		}
	}

	/** The counts a row is in: its status's, and for a request its requester contact's. */
	private List<Key> keys(Object[] row) {
		String status = (String) row[this.status];
		Key statusKey = new Key(this.table, status, qualifier(row));
		if (this.requesterEmail < 0 || row[this.requesterEmail] == null
				|| ((Number) row[this.requesterRepliesOut]).intValue() < 1) {
			return List.of(statusKey);
		}
		return List.of(statusKey, new Key(REQUESTER_CONTACT, status, REPLY_OUT));
	}

	private String qualifier(Object[] row) {
		Object qualifier = row[this.qualifier];
		return this.qualifierIsAcknowledgement ? ((qualifier != null) ? ACKNOWLEDGED : "")
				: Objects.toString(qualifier, "");
	}

	private void add(Connection conn, Key key, int delta) throws SQLException {
		CountRows.add(conn, ADD, new Object[] { delta, key.table(), key.status(), key.qualifier() }, CREATE,
				new Object[] { key.table(), key.status(), key.qualifier(), delta });
	}

	private int position(Map<String, Integer> columns, String column) throws SQLException {
		return CountRows.position(columns, column, "status_count of " + this.table);
	}

	private record Key(String table, String status, String qualifier) {
	}

	private record Change(Key key, int delta) {
	}

}
