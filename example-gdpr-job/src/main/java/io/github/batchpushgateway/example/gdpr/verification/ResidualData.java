package io.github.batchpushgateway.example.gdpr.verification;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * Counts personal data that should be gone: rows still linked to a subject whose erasure was
 * completed. Each count is an indexed lookup per subject.
 */
public class ResidualData {

	/**
	 * Tables checked, in the order reported.
	 */
	public static final List<String> TABLES = List.of("customer", "address", "marketing_consent", "orders", "invoice",
			"subject_disclosure");

	/**
	 * Subjects whose erasure was reported done: completed requests, and those that failed
	 * verification and wait for the next attempt.
	 */
	private static final String ERASED_SUBJECTS = """
			SELECT subject_id FROM erasure_request WHERE status IN ('COMPLETED', 'FAILED')
			AND (status = 'COMPLETED' OR error_code = 'RESIDUAL_DATA')""";

	private final JdbcClient jdbc;

	public ResidualData(JdbcClient jdbc) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		this.jdbc = jdbc;
	}

	/**
	 * Counts the residual rows of one subject.
	 * @param subjectId the subject
	 * @return rows per table, every table present
	 */
	public Map<String, Long> ofSubject(UUID subjectId) {
		return count("?", subjectId);
	}

	/**
	 * Counts the residual rows of every subject whose erasure was reported done.
	 * @return rows per table, every table present
	 */
	public Map<String, Long> ofErasedSubjects() {
		return count(ERASED_SUBJECTS, null);
	}

	private Map<String, Long> count(String subjects, UUID subjectId) {
		Map<String, Long> counts = new LinkedHashMap<>();
		for (String table : TABLES) {
			String sql = switch (table) {
				case "customer" -> "SELECT COUNT(*) FROM customer WHERE id IN (%s)";
				// an unrestricted invoice of the subject, found through its still-linked orders
				case "invoice" -> """
						SELECT COUNT(*) FROM invoice WHERE restricted = FALSE
						AND id IN (SELECT invoice_id FROM orders WHERE customer_id IN (%s))""";
				default -> "SELECT COUNT(*) FROM " + table + " WHERE customer_id IN (%s)";
			};
			JdbcClient.StatementSpec statement = this.jdbc.sql(sql.formatted(subjects));
			if (subjectId != null) {
				statement = statement.param(subjectId);
			}
			counts.put(table, statement.query(Long.class).single());
		}
		return counts;
	}

}
