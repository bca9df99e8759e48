package io.github.batchpushgateway.example.gdpr.verification;

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
 * the shop holds for the subject (guest orders carry no account id). Each count is an indexed
 * lookup.
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
		Map<String, Long> counts = new LinkedHashMap<>();
		for (String table : TABLES) {
			long rows = this.jdbc.sql(linkedToAccount(table).formatted("?"))
				.param(subject.subjectId())
				.query(Long.class)
				.single();
			if (!subject.emails().isEmpty() && (table.equals("orders") || table.equals("invoice"))) {
				rows += this.jdbc.sql(linkedToAddress(table).formatted(":emails"))
					.param("emails", subject.emails())
					.query(Long.class)
					.single();
			}
			counts.put(table, rows);
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
