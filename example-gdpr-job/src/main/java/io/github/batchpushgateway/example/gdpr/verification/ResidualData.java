package io.github.batchpushgateway.example.gdpr.verification;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.github.batchpushgateway.example.gdpr.erasure.SubjectIdentifiers;

import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * Counts personal data that should be gone: rows still linked to a subject whose erasure was
 * completed, through the account id or, for orders and their invoices, through the addresses
 * the shop holds for the subject (guest orders carry no account link). Each count is an indexed
 * lookup; a group of subjects is counted with one statement per table and link, not one per
 * subject.
 */
public class ResidualData {

	/**
	 * Tables checked, in the order reported.
	 */
	public static final List<String> TABLES = List.of("customer", "address", "marketing_consent", "orders", "invoice",
			"subject_disclosure");

	/**
	 * Unrestricted invoices of the orders matching a condition on {@code orders o}, each
	 * counted once. A join, not {@code id IN (SELECT invoice_id ...)}: H2 builds a temporary
	 * result for the subquery, which cost three to fifteen times the join per subject verified.
	 */
	private static final String INVOICES_OF_ORDERS = "SELECT COUNT(DISTINCT i.id) FROM orders o "
			+ "JOIN invoice i ON i.id = o.invoice_id WHERE i.restricted = FALSE AND ";

	private final JdbcClient jdbc;

	public ResidualData(JdbcClient jdbc) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		this.jdbc = jdbc;
	}

	/**
	 * Counts the residual rows of one subject.
	 * @param subject the subject's identifiers
	 * @return rows per table, every table present
	 */
	public Map<String, Long> ofSubject(SubjectIdentifiers subject) {
		return ofSubjects(List.of(subject)).get(subject);
	}

	/**
	 * Counts the residual rows of each of a group of subjects, with one statement per table
	 * (and per table reached through the addresses) for the whole group, where a subject alone
	 * takes eight. Each statement makes the same index lookup per subject as one subject's
	 * statement would; the group saves the statements' own cost (executing, binding, a result
	 * per subject), not page reads: the subjects of a group share no index page (in the demo
	 * one customer in 25 asks to be erased, and a page of an H2 index holds at most 48 entries).
	 * Only subjects with something left come back as rows.
	 * @param subjects the subjects' identifiers
	 * @return per subject (equal ones once), rows per table, every table present
	 */
	public Map<SubjectIdentifiers, Map<String, Long>> ofSubjects(Collection<SubjectIdentifiers> subjects) {
		Map<SubjectIdentifiers, Map<String, Long>> counts = new LinkedHashMap<>();
		Set<UUID> ids = new LinkedHashSet<>();
		Set<String> emails = new LinkedHashSet<>();
		for (SubjectIdentifiers subject : subjects) {
			counts.put(subject, new LinkedHashMap<>());
			ids.add(subject.subjectId());
			emails.addAll(subject.emails());
		}
		if (counts.isEmpty()) {
			return counts;
		}
		for (String table : TABLES) {
			Map<UUID, Long> linkedToAccount = new HashMap<>();
			this.jdbc.sql(perAccount(table))
				.param(ids.toArray(UUID[]::new))
				.query((RowCallbackHandler) (rs) -> linkedToAccount.put(rs.getObject(1, UUID.class), rs.getLong(2)));
			Map<String, Set<Long>> linkedToAddress = new HashMap<>();
			if (!emails.isEmpty() && (table.equals("orders") || table.equals("invoice"))) {
				this.jdbc.sql(perAddress(table))
					.param(emails.toArray(String[]::new))
					.query((RowCallbackHandler) (rs) -> linkedToAddress
						.computeIfAbsent(rs.getString(1), (email) -> new HashSet<>())
						.add(rs.getLong(2)));
			}
			counts.forEach((subject, rows) -> {
				// an invoice reached through two of the subject's addresses counts once, as in one IN (...)
				Set<Long> throughAddresses = new HashSet<>();
				subject.emails().forEach((email) -> throughAddresses.addAll(linkedToAddress.getOrDefault(email, Set.of())));
				rows.put(table, linkedToAccount.getOrDefault(subject.subjectId(), 0L) + throughAddresses.size());
			});
		}
		return counts;
	}

	/**
	 * Counts the residual rows of the subjects whose requests verification failed on residual
	 * data ({@code FAILED}, {@code RESIDUAL_DATA}) and that are still failed: what the alert on
	 * residual data must show until the data is gone or the erasure is done again. Bounded by
	 * those requests (an index range of the failed ones), not by the run or the history: the
	 * erasures a run completes are looked at by verification, each once, and show here only if
	 * it found something.
	 * @return rows per table, every table present
	 */
	public Map<String, Long> ofRequestsFailedOnResidualData() {
		Set<UUID> subjects = new LinkedHashSet<>();
		Set<String> emails = new LinkedHashSet<>();
		RowCallbackHandler collect = (rs) -> {
			SubjectIdentifiers subject = SubjectIdentifiers.of(rs.getObject("subject_id", UUID.class),
					rs.getString("requester_email"));
			subjects.add(subject.subjectId());
			emails.addAll(subject.emails());
		};
		this.jdbc.sql("""
				SELECT subject_id, requester_email FROM erasure_request
				WHERE status = 'FAILED' AND error_code = 'RESIDUAL_DATA'""").query(collect);
		Map<String, Long> counts = new LinkedHashMap<>();
		for (String table : TABLES) {
			long rows = subjects.isEmpty() ? 0
					: this.jdbc.sql(linkedToAccount(table).formatted(":subjects"))
						.param("subjects", subjects)
						.query(Long.class)
						.single();
			if (!emails.isEmpty() && (table.equals("orders") || table.equals("invoice"))) {
				rows += this.jdbc.sql(linkedToAddress(table).formatted(":emails"))
					.param("emails", emails)
					.query(Long.class)
					.single();
			}
			counts.put(table, rows);
		}
		return counts;
	}

	/**
	 * Residual rows of one table per account, for the accounts in the statement's one array
	 * parameter: {@code = ANY(?)} on an indexed column is an index lookup per element, and one
	 * statement text whatever the group's size.
	 */
	private static String perAccount(String table) {
		return switch (table) {
			case "customer" -> "SELECT id, COUNT(*) FROM customer WHERE id = ANY(?) GROUP BY id";
			// an unrestricted invoice of the subject, found through its still-linked orders
			case "invoice" -> """
					SELECT o.customer_id, COUNT(DISTINCT i.id) FROM orders o JOIN invoice i ON i.id = o.invoice_id
					WHERE i.restricted = FALSE AND o.customer_id = ANY(?) GROUP BY o.customer_id""";
			default -> "SELECT customer_id, COUNT(*) FROM " + table + " WHERE customer_id = ANY(?) GROUP BY customer_id";
		};
	}

	/**
	 * The ids of a table's rows linked to the addresses in the statement's one array parameter
	 * and to no account, with the address: orders, or the unrestricted invoices of those orders.
	 */
	private static String perAddress(String table) {
		return switch (table) {
			case "orders" -> """
					SELECT contact_email_normalized, id FROM orders
					WHERE customer_id IS NULL AND contact_email_normalized = ANY(?)""";
			case "invoice" -> """
					SELECT DISTINCT o.contact_email_normalized, i.id FROM orders o JOIN invoice i ON i.id = o.invoice_id
					WHERE i.restricted = FALSE AND o.customer_id IS NULL AND o.contact_email_normalized = ANY(?)""";
			default -> throw new IllegalArgumentException(table);
		};
	}

	private static String linkedToAccount(String table) {
		return switch (table) {
			case "customer" -> "SELECT COUNT(*) FROM customer WHERE id IN (%s)";
			// an unrestricted invoice of the subject, found through its still-linked orders
			case "invoice" -> INVOICES_OF_ORDERS + "o.customer_id IN (%s)";
			default -> "SELECT COUNT(*) FROM " + table + " WHERE customer_id IN (%s)";
		};
	}

	private static String linkedToAddress(String table) {
		return switch (table) {
			case "orders" -> "SELECT COUNT(*) FROM orders WHERE customer_id IS NULL AND contact_email_normalized IN (%s)";
			case "invoice" -> INVOICES_OF_ORDERS + "o.customer_id IS NULL AND o.contact_email_normalized IN (%s)";
			default -> throw new IllegalArgumentException(table);
		};
	}

}
