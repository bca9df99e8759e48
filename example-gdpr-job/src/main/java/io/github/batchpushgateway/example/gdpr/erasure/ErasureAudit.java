package io.github.batchpushgateway.example.gdpr.erasure;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.Assert;

/**
 * Writes the accountability record of an erasure (GDPR Art. 5(2), 30): which table, what was
 * done, to how many rows, on which legal basis, when and by which job execution. The record
 * holds no personal data, so it can be kept for as long as the controller must prove what it
 * did.
 *
 * <p>The one writer of {@code erasure_audit}: with the rows it adds their counts to
 * {@code erasure_audit_total} per job execution, table and action, in the same transaction
 * (a rollback takes both back), which the metrics read at every push instead of the rows.
 * One statement per execution, table and action of a batch, not one per row as a row trigger
 * on the audit would cost: a chunk of the erase step writes some ten rows per subject, in a
 * dozen pairs.
 */
public class ErasureAudit {

	/**
	 * Basis of deleting data under the right to erasure.
	 */
	public static final String ERASURE = "GDPR Art. 17(1)";

	/**
	 * Basis of keeping invoices restricted instead of deleting them.
	 */
	public static final String INVOICE_RETENTION = "GDPR Art. 17(3)(b), 18; VAT Directive Art. 226";

	/**
	 * Basis of minimising rows that are kept.
	 */
	public static final String MINIMISATION = "GDPR Art. 5(1)(c), 17(1)";

	/**
	 * Basis of keeping the suppression entry: a legal obligation to honour an objection to
	 * direct marketing, and the legitimate interest of not contacting the person again; not
	 * Art. 17(1), which is a duty to erase and no ground to keep anything.
	 */
	public static final String SUPPRESSION = "GDPR Art. 6(1)(c), 6(1)(f), 21(3)";

	/**
	 * Basis of erasing marketing data at once while the rest waits for a contract to end:
	 * a withdrawn consent and an objection to direct marketing take effect whatever the
	 * contract.
	 */
	public static final String MARKETING_ERASURE = "GDPR Art. 7(3), 21(3)";

	/**
	 * Basis of giving up telling a recipient of an erasure.
	 */
	public static final String NOTIFICATION_GIVEN_UP = "GDPR Art. 19 (impossible or disproportionate effort)";

	/**
	 * Basis of giving up a reply to the requester that cannot be delivered: the address is
	 * not kept for ever to retry it.
	 */
	public static final String REPLY_GIVEN_UP = "GDPR Art. 12(3), 5(1)(e) (reply undeliverable)";

	/**
	 * Basis of deleting data once its retention period ends.
	 */
	public static final String STORAGE_LIMITATION = "GDPR Art. 5(1)(e)";

	private static final String INSERT = """
			INSERT INTO erasure_audit (request_id, table_name, action, row_count, basis, recorded_at, job_execution_id)
			VALUES (?, ?, ?, ?, ?, ?, ?)""";

	private static final String ADD_TO_TOTAL = """
			MERGE INTO erasure_audit_total t
			USING (VALUES (CAST(? AS BIGINT), CAST(? AS VARCHAR(40)), CAST(? AS VARCHAR(20)), CAST(? AS BIGINT)))
				AS s (job_execution_id, table_name, action, row_count)
			ON t.job_execution_id = s.job_execution_id AND t.table_name = s.table_name AND t.action = s.action
			WHEN MATCHED THEN UPDATE SET row_count = t.row_count + s.row_count
			WHEN NOT MATCHED THEN INSERT (job_execution_id, table_name, action, row_count)
				VALUES (s.job_execution_id, s.table_name, s.action, s.row_count)""";

	private final JdbcTemplate jdbc;

	private final Clock clock;

	/**
	 * Rows held back for one JDBC batch, on the thread that called {@link #batched(Runnable)}.
	 */
	private final ThreadLocal<@Nullable List<Object[]>> held = new ThreadLocal<>();

	/**
	 * Creates the audit.
	 * @param jdbc the database (a {@code JdbcTemplate}, for the batch of {@link #batched(Runnable)})
	 * @param clock the clock
	 */
	public ErasureAudit(JdbcTemplate jdbc, Clock clock) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Returns the basis of an erasure on the ground the request names ({@code erasure_request.ground}).
	 * @param ground the ground as recorded
	 * @return the articles, {@link #ERASURE} for a ground the job does not know
	 */
	public static String erasureBasis(String ground) {
		return switch (ground) {
			case "NO_LONGER_NECESSARY" -> "GDPR Art. 17(1)(a)";
			case "CONSENT_WITHDRAWN" -> "GDPR Art. 17(1)(b), 7(3)";
			case "OBJECTION" -> "GDPR Art. 17(1)(c), 21(1)";
			case "OBJECTION_TO_DIRECT_MARKETING" -> "GDPR Art. 17(1)(c), 21(3)";
			case "UNLAWFUL_PROCESSING" -> "GDPR Art. 17(1)(d)";
			case "LEGAL_OBLIGATION" -> "GDPR Art. 17(1)(e)";
			case "CHILD_INFORMATION_SOCIETY_SERVICE" -> "GDPR Art. 17(1)(f)";
			default -> ERASURE;
		};
	}

	/**
	 * Records what was done, zero rows included: "nothing found" is proven too.
	 * @param requestId the erasure request
	 * @param table the table the rows are in
	 * @param action what was done
	 * @param rows how many rows
	 * @param basis the legal basis
	 * @param jobExecutionId the job execution that did it
	 */
	public void record(long requestId, String table, AuditAction action, int rows, String basis,
			long jobExecutionId) {
		Object[] row = { requestId, table, action.name(), rows, basis, LocalDateTime.now(this.clock), jobExecutionId };
		List<Object[]> held = this.held.get();
		if (held != null) {
			held.add(row);
		}
		else {
			this.jdbc.update(INSERT, row);
			addToTotals(List.<Object[]>of(row));
		}
	}

	/**
	 * Runs work whose audit rows are inserted together, as one JDBC batch, when it returns,
	 * in the caller's transaction: the erase step writes some ten rows per subject, and one
	 * statement per row was a third of its statements. Only rows recorded on the calling
	 * thread are held back, so the work must not read back a row it recorded itself: the
	 * eraser reads a request's audit rows only before it writes any for it (earlier runs'
	 * rows, committed), and a chunk holds each request once. Rows of work that throws are
	 * dropped with its transaction.
	 * @param work the work, run on this thread
	 */
	public void batched(Runnable work) {
		if (this.held.get() != null) {
			work.run(); // the caller's batch collects these rows too
			return;
		}
		List<Object[]> rows = new ArrayList<>();
		this.held.set(rows);
		try {
			work.run();
		}
		finally {
			this.held.remove();
		}
		if (!rows.isEmpty()) {
			this.jdbc.batchUpdate(INSERT, rows);
			addToTotals(rows);
		}
	}

	/**
	 * Adds rows just inserted to {@code erasure_audit_total}, in the same transaction, one
	 * statement per execution, table and action: the metrics read the run's totals there at
	 * every push instead of summing its audit rows.
	 */
	private void addToTotals(List<Object[]> rows) {
		Map<List<Object>, Long> totals = new LinkedHashMap<>();
		for (Object[] row : rows) {
			totals.merge(List.of(row[6], row[1], row[2]), ((Integer) row[3]).longValue(), Long::sum);
		}
		List<Object[]> additions = new ArrayList<>(totals.size());
		totals.forEach((key, count) -> additions.add(new Object[] { key.get(0), key.get(1), key.get(2), count }));
		this.jdbc.batchUpdate(ADD_TO_TOTAL, additions);
	}

}
