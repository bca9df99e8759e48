package io.github.batchpushgateway.example.gdpr.erasure;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Period;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.github.batchpushgateway.example.gdpr.GdprProperties;
import io.github.batchpushgateway.example.gdpr.erasure.NotificationQueue.MessageKind;

import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * Carries out erasures already decided, of several subjects at once, in the caller's
 * transaction: recipients' notices queued (Art. 19), invoices restricted (Art. 17(3)(b), 18;
 * VAT Directive Art. 226), orders of the account and guest orders under the subject's
 * addresses minimised (Art. 5(1)(c)), consents, addresses, disclosure records, released legal
 * holds and the customer deleted, the addresses suppressed, audit rows written per subject
 * (zero-row actions too), and each request moved to {@link RequestStatus#COMPLETED COMPLETED}
 * with a conditional update.
 *
 * <p>Each table is read with one {@code IN (...)} query and written with one JDBC batch for
 * all the subjects, a statement per subject inside the batch where the audit needs each
 * subject's row count: the erase step spent most of its time on some twenty statements per
 * subject, each a round of Spring and H2 overhead for an index lookup. The subjects must not
 * share an identifier (account id or address): each row then belongs to one subject, and
 * erasing them together leaves what erasing them one after another would.
 */
public class ErasureBatch {

	private static final List<String> SUBJECT_TABLES = List.of("marketing_consent", "address", "subject_disclosure",
			"legal_hold");

	private static final String MINIMISE = """
			UPDATE orders SET customer_id = NULL, shipping_name = NULL, shipping_street = NULL,
				shipping_postal_code = NULL, shipping_city = NULL, contact_email = NULL, contact_phone = NULL,
				notes = NULL, minimized_at = ?
			WHERE\s""";

	private final JdbcTemplate jdbcTemplate;

	private final JdbcClient jdbc;

	private final SuppressionList suppressionList;

	private final NotificationQueue notifications;

	private final ErasureAudit audit;

	private final GdprProperties properties;

	private final Clock clock;

	public ErasureBatch(JdbcTemplate jdbc, SuppressionList suppressionList, NotificationQueue notifications,
			ErasureAudit audit, GdprProperties properties, Clock clock) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		Assert.notNull(suppressionList, "'suppressionList' must not be null");
		Assert.notNull(notifications, "'notifications' must not be null");
		Assert.notNull(audit, "'audit' must not be null");
		Assert.notNull(properties, "'properties' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.jdbcTemplate = jdbc;
		this.jdbc = JdbcClient.create(jdbc);
		this.suppressionList = suppressionList;
		this.notifications = notifications;
		this.audit = audit;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Erases the subjects of decided requests.
	 * @param erasures the requests, locked, and their subjects, no two sharing an identifier
	 * @param jobExecutionId the job execution, for the audit record
	 */
	void erase(List<Erasure> erasures, long jobExecutionId) {
		if (erasures.isEmpty()) {
			return;
		}
		LocalDateTime now = LocalDateTime.now(this.clock);
		List<UUID> subjects = erasures.stream().map((erasure) -> erasure.subject().subjectId()).toList();
		queueRecipientNotices(erasures, subjects);
		Orders orders = orders(erasures, subjects);
		int[] restricted = restrictInvoices(erasures, orders.invoices(), now);
		int[] minimised = minimiseOrders(erasures, subjects, orders.guestOrders(), now);
		Map<String, int[]> deleted = new HashMap<>();
		for (String table : SUBJECT_TABLES) {
			deleted.put(table, deleteEach(table, "customer_id", subjects));
		}
		int[] customers = deleteEach("customer", "id", subjects);
		Set<String> suppressed = this.suppressionList.addAll(erasures.stream()
			.flatMap((erasure) -> erasure.subject().emails().stream())
			.toList());
		complete(erasures, now);
		for (int i = 0; i < erasures.size(); i++) {
			long id = erasures.get(i).request().id();
			String basis = ErasureAudit.erasureBasis(erasures.get(i).request().ground());
			this.audit.record(id, "invoice", AuditAction.RESTRICTED, restricted[i], ErasureAudit.INVOICE_RETENTION,
					jobExecutionId);
			this.audit.record(id, "orders", AuditAction.MINIMIZED, minimised[i], ErasureAudit.MINIMISATION,
					jobExecutionId);
			for (String table : SUBJECT_TABLES) {
				this.audit.record(id, table, AuditAction.DELETED, deleted.get(table)[i], basis, jobExecutionId);
			}
			this.audit.record(id, "customer", AuditAction.DELETED, customers[i], basis, jobExecutionId);
			int addresses = (int) erasures.get(i).subject().emails().stream().filter(suppressed::contains).count();
			this.audit.record(id, "suppression_entry", AuditAction.SUPPRESSED, addresses, ErasureAudit.SUPPRESSION,
					jobExecutionId);
		}
	}

	/**
	 * A recipient that knows a subject under two references must hear of both.
	 */
	private void queueRecipientNotices(List<Erasure> erasures, List<UUID> subjects) {
		Map<UUID, Long> requestOf = new HashMap<>();
		erasures.forEach((erasure) -> requestOf.put(erasure.subject().subjectId(), erasure.request().id()));
		this.notifications.queueAll(this.jdbc.sql("""
				SELECT d.customer_id, r.code, r.endpoint, d.recipient_subject_ref AS reference, MIN(d.id) AS reference_key
				FROM subject_disclosure d JOIN data_recipient r ON r.id = d.recipient_id
				WHERE d.customer_id IN (:subjects)
				GROUP BY d.customer_id, r.code, r.endpoint, d.recipient_subject_ref
				ORDER BY d.customer_id, MIN(d.id)""")
			.param("subjects", subjects)
			.query((rs, rowNum) -> new NotificationQueue.Message(requestOf.get(rs.getObject("customer_id", UUID.class)),
					rs.getString("code"), MessageKind.ERASURE_NOTICE, rs.getString("endpoint"),
					rs.getString("reference"), rs.getLong("reference_key")))
			.list());
	}

	/**
	 * Reads the invoices of the subjects' orders and their guest orders, each with the index
	 * of the erasure it belongs to.
	 */
	private Orders orders(List<Erasure> erasures, List<UUID> subjects) {
		Map<UUID, Integer> bySubject = new HashMap<>();
		Map<String, Integer> byEmail = new HashMap<>();
		for (int i = 0; i < erasures.size(); i++) {
			bySubject.put(subjects.get(i), i);
			for (String email : erasures.get(i).subject().emails()) {
				byEmail.put(email, i);
			}
		}
		List<Owned> invoices = new ArrayList<>(this.jdbc
			.sql("SELECT customer_id, invoice_id FROM orders WHERE customer_id IN (:subjects) AND invoice_id IS NOT NULL")
			.param("subjects", subjects)
			.query((rs, rowNum) -> new Owned(rs.getLong("invoice_id"),
					bySubject.get(rs.getObject("customer_id", UUID.class))))
			.list());
		List<Owned> guestOrders = new ArrayList<>();
		if (!byEmail.isEmpty()) {
			this.jdbc.sql("""
					SELECT id, contact_email_normalized, invoice_id FROM orders
					WHERE contact_email_normalized IN (:emails) AND customer_id IS NULL""")
				.param("emails", byEmail.keySet())
				.query((rs) -> {
					int owner = byEmail.get(rs.getString("contact_email_normalized"));
					guestOrders.add(new Owned(rs.getLong("id"), owner));
					long invoice = rs.getLong("invoice_id");
					if (!rs.wasNull()) {
						invoices.add(new Owned(invoice, owner));
					}
				});
		}
		return new Orders(invoices, guestOrders);
	}

	private int[] restrictInvoices(List<Erasure> erasures, List<Owned> invoices, LocalDateTime now) {
		int[] restricted = new int[erasures.size()];
		if (invoices.isEmpty()) {
			return restricted;
		}
		Period retention = this.properties.getRetention().getInvoicePeriod();
		Assert.state(retention != null, "gdpr.retention.invoice-period is not set");
		// an invoice without a retain-until date of its own gets the configured rule
		List<Object[]> retainUntil = this.jdbc
			.sql("SELECT id, issued_on FROM invoice WHERE id IN (:invoices) AND retain_until IS NULL")
			.param("invoices", invoices.stream().map(Owned::id).toList())
			.query((rs, rowNum) -> new Object[] {
					SubjectEraser.retainUntil(rs.getObject("issued_on", LocalDate.class), retention), rs.getLong("id") })
			.list();
		if (!retainUntil.isEmpty()) {
			this.jdbcTemplate.batchUpdate("UPDATE invoice SET retain_until = ? WHERE id = ?", retainUntil);
		}
		int[] updated = this.jdbcTemplate.batchUpdate("""
				UPDATE invoice SET restricted = TRUE, restricted_at = ?, restricted_by_request = ?
				WHERE restricted = FALSE AND id = ?""", invoices.stream()
			.map((invoice) -> new Object[] { now, erasures.get(invoice.owner()).request().id(), invoice.id() })
			.toList());
		for (int i = 0; i < updated.length; i++) {
			restricted[invoices.get(i).owner()] += updated[i];
		}
		return restricted;
	}

	/**
	 * The account's orders and guest orders under the subject's addresses lose every personal
	 * field; totals, status and country stay for bookkeeping.
	 */
	private int[] minimiseOrders(List<Erasure> erasures, List<UUID> subjects, List<Owned> guestOrders,
			LocalDateTime now) {
		int[] minimised = this.jdbcTemplate.batchUpdate(MINIMISE + "customer_id = ?",
				subjects.stream().map((subject) -> new Object[] { now, subject }).toList());
		if (!guestOrders.isEmpty()) {
			int[] guests = this.jdbcTemplate.batchUpdate(MINIMISE + "id = ? AND customer_id IS NULL",
					guestOrders.stream().map((order) -> new Object[] { now, order.id() }).toList());
			for (int i = 0; i < guests.length; i++) {
				minimised[guestOrders.get(i).owner()] += guests[i];
			}
		}
		Assert.state(minimised.length == erasures.size(), "one count per subject");
		return minimised;
	}

	private int[] deleteEach(String table, String column, List<UUID> subjects) {
		return this.jdbcTemplate.batchUpdate("DELETE FROM " + table + " WHERE " + column + " = ?",
				subjects.stream().map((subject) -> new Object[] { subject }).toList());
	}

	private void complete(List<Erasure> erasures, LocalDateTime now) {
		int[] updated = this.jdbcTemplate.batchUpdate("""
				UPDATE erasure_request SET status = 'COMPLETED', reason_code = NULL, error_code = NULL,
					attempts = attempts + 1, decided_at = ?, completed_at = ?, verified_at = NULL
				WHERE id = ? AND status = ?""", erasures.stream()
			.map((erasure) -> new Object[] { now, now, erasure.request().id(), erasure.request().status() })
			.toList());
		for (int i = 0; i < updated.length; i++) {
			if (updated[i] != 1) {
				// someone changed the request since it was locked: retry with fresh state
				throw new ConcurrencyFailureException(
						"Erasure request " + erasures.get(i).request().id() + " changed while being processed");
			}
		}
	}

	/**
	 * A request decided for erasure, and the subject it names.
	 *
	 * @param request the request, locked
	 * @param subject the subject's identifiers
	 */
	record Erasure(LockedRequest request, SubjectIdentifiers subject) {
	}

	/**
	 * A row, and the index of the erasure it belongs to.
	 */
	private record Owned(long id, int owner) {
	}

	/**
	 * What the subjects' orders lead to: their invoices, and their guest orders.
	 */
	private record Orders(List<Owned> invoices, List<Owned> guestOrders) {
	}

}
