package io.github.batchpushgateway.example.gdpr.erasure;

import java.time.Clock;
import java.time.LocalDateTime;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * Writes the accountability record of an erasure (GDPR Art. 5(2), 30): which table, what was
 * done, to how many rows, on which legal basis, when and by which job execution. The record
 * holds no personal data, so it can be kept for as long as the controller must prove what it
 * did.
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
	 * Basis of the suppression entry.
	 */
	public static final String SUPPRESSION = "GDPR Art. 17(1), 21(3)";

	/**
	 * Basis of deleting data once its retention period ends.
	 */
	public static final String STORAGE_LIMITATION = "GDPR Art. 5(1)(e)";

	private final JdbcClient jdbc;

	private final Clock clock;

	public ErasureAudit(JdbcClient jdbc, Clock clock) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Records what was done, unless nothing was (zero rows).
	 * @param requestId the erasure request
	 * @param table the table the rows are in
	 * @param action what was done
	 * @param rows how many rows
	 * @param basis the legal basis
	 * @param jobExecutionId the job execution that did it
	 */
	public void record(long requestId, String table, AuditAction action, int rows, String basis,
			long jobExecutionId) {
		if (rows == 0) {
			return;
		}
		this.jdbc.sql("""
				INSERT INTO erasure_audit (request_id, table_name, action, row_count, basis, recorded_at, job_execution_id)
				VALUES (?, ?, ?, ?, ?, ?, ?)""")
			.params(requestId, table, action.name(), rows, basis, LocalDateTime.now(this.clock), jobExecutionId)
			.update();
	}

}
