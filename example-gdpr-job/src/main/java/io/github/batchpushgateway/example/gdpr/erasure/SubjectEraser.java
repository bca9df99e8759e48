package io.github.batchpushgateway.example.gdpr.erasure;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Period;
import java.util.List;
import java.util.UUID;

import io.github.batchpushgateway.example.gdpr.GdprProperties;
import io.github.batchpushgateway.example.gdpr.erasure.NotificationQueue.MessageKind;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * Decides and carries out one erasure request. Call it inside a transaction: everything it
 * does for one subject commits or rolls back together, and every statement is idempotent, so
 * running it again for the same request changes nothing.
 *
 * <p>Order of checks: an active legal hold (GDPR Art. 17(3)(e)) puts the request
 * {@link RequestStatus#ON_HOLD ON_HOLD}; an open order (the data is still necessary for a
 * contract, Art. 17(1)(a) does not apply) {@link RequestStatus#REJECTED REJECTS} it. Otherwise
 * the subject is erased:
 * <ol>
 * <li>one notice per recipient the data was disclosed to and reference it knows the subject by
 * is queued (Art. 19);</li>
 * <li>invoices are restricted, not deleted: tax law requires keeping them (Art. 17(3)(b), 18;
 * VAT Directive Art. 226) until their {@code retain_until};</li>
 * <li>orders are unlinked and their contact, shipping and note fields cleared (Art. 5(1)(c));</li>
 * <li>consents, addresses, disclosure records, released legal holds and the customer are
 * deleted;</li>
 * <li>a keyed hash of the e-mail address goes to the suppression list;</li>
 * <li>audit rows are written and the request moves to {@link RequestStatus#COMPLETED COMPLETED}
 * with a conditional update.</li>
 * </ol>
 * The requester's confirmation is not queued here: the requester is told the data was erased
 * only once verification has found none of it left (see
 * {@code ErasureVerificationTasklet}).
 */
public class SubjectEraser {

	private static final List<String> PROCESSABLE = List.of(RequestStatus.VERIFIED.name(),
			RequestStatus.ON_HOLD.name(), RequestStatus.FAILED.name());

	private final JdbcClient jdbc;

	private final SuppressionKeys suppressionKeys;

	private final NotificationQueue notifications;

	private final ErasureAudit audit;

	private final GdprProperties properties;

	private final Clock clock;

	public SubjectEraser(JdbcClient jdbc, SuppressionKeys suppressionKeys, NotificationQueue notifications,
			ErasureAudit audit, GdprProperties properties, Clock clock) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		Assert.notNull(suppressionKeys, "'suppressionKeys' must not be null");
		Assert.notNull(notifications, "'notifications' must not be null");
		Assert.notNull(audit, "'audit' must not be null");
		Assert.notNull(properties, "'properties' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.jdbc = jdbc;
		this.suppressionKeys = suppressionKeys;
		this.notifications = notifications;
		this.audit = audit;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Processes one request.
	 * @param requestId the request
	 * @param jobExecutionId the job execution, for the audit record
	 * @return what it led to
	 */
	public ErasureOutcome erase(long requestId, long jobExecutionId) {
		Request request = this.jdbc
			.sql("SELECT id, subject_id, status, requester_email FROM erasure_request WHERE id = ? FOR UPDATE")
			.param(requestId)
			.query((rs, rowNum) -> new Request(rs.getLong("id"), rs.getObject("subject_id", UUID.class),
					rs.getString("status"), rs.getString("requester_email")))
			.optional()
			.orElse(null);
		if (request == null || !PROCESSABLE.contains(request.status())) {
			return ErasureOutcome.NOT_PROCESSABLE;
		}
		if (count("SELECT COUNT(*) FROM legal_hold WHERE customer_id = ? AND released_on IS NULL", request) > 0) {
			decide(request, RequestStatus.ON_HOLD, "LEGAL_HOLD", MessageKind.HOLD_NOTICE);
			return ErasureOutcome.ON_HOLD;
		}
		if (count("SELECT COUNT(*) FROM orders WHERE customer_id = ? AND status IN ('OPEN', 'SHIPPED')",
				request) > 0) {
			decide(request, RequestStatus.REJECTED, "OPEN_CONTRACT", MessageKind.REFUSAL);
			return ErasureOutcome.REJECTED;
		}
		eraseSubject(request, jobExecutionId);
		return ErasureOutcome.COMPLETED;
	}

	private void decide(Request request, RequestStatus status, String reasonCode, MessageKind reply) {
		if (request.status().equals(status.name())) {
			return; // decided before, the requester has been told: nothing changed
		}
		LocalDateTime now = LocalDateTime.now(this.clock);
		int updated = this.jdbc.sql("""
				UPDATE erasure_request SET status = ?, reason_code = ?, error_code = NULL, decided_at = ?
				WHERE id = ? AND status = ?""")
			.params(status.name(), reasonCode, now, request.id(), request.status())
			.update();
		requireUpdated(updated, request);
		queueReply(request, reply);
	}

	private void eraseSubject(Request request, long execution) {
		long id = request.id();
		UUID subject = request.subjectId();
		String email = this.jdbc.sql("SELECT email FROM customer WHERE id = ?")
			.param(subject)
			.query(String.class)
			.optional()
			.orElse(null);
		queueRecipientNotices(request);
		this.audit.record(id, "invoice", AuditAction.RESTRICTED, restrictInvoices(request),
				ErasureAudit.INVOICE_RETENTION, execution);
		this.audit.record(id, "orders", AuditAction.MINIMIZED, this.jdbc.sql("""
				UPDATE orders SET customer_id = NULL, shipping_name = NULL, shipping_street = NULL,
					shipping_postal_code = NULL, shipping_city = NULL, contact_email = NULL, contact_phone = NULL,
					notes = NULL, minimized_at = ?
				WHERE customer_id = ?""").params(LocalDateTime.now(this.clock), subject).update(),
				ErasureAudit.MINIMISATION, execution);
		for (String table : List.of("marketing_consent", "address", "subject_disclosure", "legal_hold")) {
			this.audit.record(id, table, AuditAction.DELETED, delete(table, "customer_id", subject), ErasureAudit.ERASURE,
					execution);
		}
		this.audit.record(id, "customer", AuditAction.DELETED, delete("customer", "id", subject), ErasureAudit.ERASURE,
				execution);
		if (email != null) {
			this.audit.record(id, "suppression_entry", AuditAction.SUPPRESSED, suppress(email),
					ErasureAudit.SUPPRESSION, execution);
		}
		LocalDateTime now = LocalDateTime.now(this.clock);
		int updated = this.jdbc.sql("""
				UPDATE erasure_request SET status = 'COMPLETED', reason_code = NULL, error_code = NULL,
					attempts = attempts + 1, decided_at = ?, completed_at = ?, verified_at = NULL
				WHERE id = ? AND status = ?""").params(now, now, id, request.status()).update();
		requireUpdated(updated, request);
	}

	private void queueRecipientNotices(Request request) {
		this.jdbc.sql("""
				SELECT r.code, r.endpoint, d.recipient_subject_ref AS reference, MIN(d.id) AS reference_key
				FROM subject_disclosure d JOIN data_recipient r ON r.id = d.recipient_id
				WHERE d.customer_id = ?
				GROUP BY r.code, r.endpoint, d.recipient_subject_ref""")
			.param(request.subjectId())
			// a recipient that knows the subject under two references must hear of both
			.query((rs, rowNum) -> this.notifications.queue(request.id(), rs.getString("code"),
					MessageKind.ERASURE_NOTICE, rs.getString("endpoint"), rs.getString("reference"),
					rs.getLong("reference_key")))
			.list();
	}

	private int restrictInvoices(Request request) {
		Period retention = this.properties.getRetention().getInvoicePeriod();
		Assert.state(retention != null, "gdpr.retention.invoice-period is not set");
		// invoices without a retain-until date of their own get the configured rule
		this.jdbc.sql("""
				SELECT i.id, i.issued_on FROM invoice i JOIN orders o ON o.invoice_id = i.id
				WHERE o.customer_id = ? AND i.retain_until IS NULL""")
			.param(request.subjectId())
			.query((rs, rowNum) -> this.jdbc.sql("UPDATE invoice SET retain_until = ? WHERE id = ?")
				.params(retainUntil(rs.getObject("issued_on", LocalDate.class), retention), rs.getLong("id"))
				.update())
			.list();
		return this.jdbc.sql("""
				UPDATE invoice SET restricted = TRUE, restricted_at = ?, restricted_by_request = ?
				WHERE restricted = FALSE AND id IN (SELECT invoice_id FROM orders WHERE customer_id = ?)""")
			.params(LocalDateTime.now(this.clock), request.id(), request.subjectId())
			.update();
	}

	/**
	 * Returns the last day an invoice must be kept under a retention period that runs from
	 * the end of the year it was issued in.
	 * @param issuedOn the day the invoice was issued
	 * @param retention the retention period
	 * @return the last day of the retention period
	 */
	public static LocalDate retainUntil(LocalDate issuedOn, Period retention) {
		return LocalDate.of(issuedOn.getYear(), 12, 31).plus(retention);
	}

	private int delete(String table, String column, UUID subject) {
		return this.jdbc.sql("DELETE FROM " + table + " WHERE " + column + " = ?").param(subject).update();
	}

	private int suppress(String email) {
		return this.jdbc.sql("""
				INSERT INTO suppression_entry (email_hmac, created_at)
				SELECT :hmac, :now WHERE NOT EXISTS (SELECT 1 FROM suppression_entry WHERE email_hmac = :hmac)""")
			.param("hmac", this.suppressionKeys.keyFor(email))
			.param("now", LocalDateTime.now(this.clock))
			.update();
	}

	private void queueReply(Request request, MessageKind reply) {
		if (request.requesterEmail() != null) {
			this.notifications.queue(request.id(), NotificationQueue.REQUESTER, reply,
					this.properties.getNotifications().getRequesterEndpoint(), request.requesterEmail());
		}
	}

	private int count(String sql, Request request) {
		return this.jdbc.sql(sql).param(request.subjectId()).query(Integer.class).single();
	}

	private static void requireUpdated(int updated, Request request) {
		if (updated != 1) {
			// someone changed the request since it was locked: retry with fresh state
			throw new ConcurrencyFailureException("Erasure request " + request.id() + " changed while being processed");
		}
	}

	private record Request(long id, UUID subjectId, String status, @Nullable String requesterEmail) {

		@Override
		public String toString() {
			return "Request[" + this.id + "]"; // never the subject's id or address
		}

	}

}
