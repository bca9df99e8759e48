package io.github.batchpushgateway.example.gdpr;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The census of {@code due_count}: the counts the trigger kept per kind and day against the
 * rows counted now, the open requests per due day and the restricted invoices per retention
 * day.
 */
public final class KeptDueCounts {

	private KeptDueCounts() {
	}

	/**
	 * Returns the counts as kept.
	 * @param jdbc the database
	 * @return per kind and day, the kept count
	 */
	public static Map<List<Object>, Long> kept(JdbcClient jdbc) {
		Map<List<Object>, Long> kept = new HashMap<>();
		jdbc.sql("SELECT kind, due_on, n FROM due_count")
			.query((rs) -> {
				kept.put(List.of(rs.getString(1), rs.getObject(2, LocalDate.class)), rs.getLong(3));
			});
		return kept;
	}

	/**
	 * Asserts that every kept count equals the rows counted now, and that no day is kept
	 * without a row due on it.
	 * @param jdbc the database
	 */
	public static void assertEqualToRows(JdbcClient jdbc) {
		Map<List<Object>, Long> counted = new HashMap<>();
		jdbc.sql("""
				SELECT 'open_request', due_on, COUNT(*) FROM erasure_request
				WHERE status IN ('RECEIVED', 'VERIFIED', 'FAILED') AND due_on IS NOT NULL GROUP BY due_on
				UNION ALL
				SELECT 'restricted_invoice', retain_until, COUNT(*) FROM invoice
				WHERE restricted = TRUE AND retain_until IS NOT NULL GROUP BY retain_until""")
			.query((rs) -> {
				counted.put(List.of(rs.getString(1), rs.getObject(2, LocalDate.class)), rs.getLong(3));
			});
		assertThat(kept(jdbc)).as("due_count against the rows").isEqualTo(counted);
	}

}
