package io.github.batchpushgateway.example.gdpr;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The census of {@code status_count}: the counts the trigger kept against the rows counted
 * now, per table, status and qualifier, and the requests per status holding the requester's
 * address with a reply out.
 */
public final class KeptStatusCounts {

	private KeptStatusCounts() {
	}

	/**
	 * Returns the counts as kept.
	 * @param jdbc the database
	 * @return per table, status and qualifier, the kept count
	 */
	public static Map<List<String>, Long> kept(JdbcClient jdbc) {
		Map<List<String>, Long> kept = new HashMap<>();
		jdbc.sql("SELECT table_name, status, qualifier, n FROM status_count")
			.query((rs) -> {
				kept.put(List.of(rs.getString(1), rs.getString(2), rs.getString(3)), rs.getLong(4));
			});
		return kept;
	}

	/**
	 * Asserts that every kept count equals the rows counted now, states without rows at zero.
	 * @param jdbc the database
	 */
	public static void assertEqualToRows(JdbcClient jdbc) {
		Map<List<String>, Long> counted = new HashMap<>();
		jdbc.sql("""
				SELECT 'erasure_request', status, COALESCE(reason_code, ''), COUNT(*) FROM erasure_request
				GROUP BY status, COALESCE(reason_code, '')
				UNION ALL
				SELECT 'notification_outbox', status, CASE WHEN acknowledged_at IS NULL THEN '' ELSE 'ACKNOWLEDGED' END, COUNT(*)
				FROM notification_outbox GROUP BY status, CASE WHEN acknowledged_at IS NULL THEN '' ELSE 'ACKNOWLEDGED' END
				UNION ALL
				SELECT 'requester_contact', status, 'REPLY_OUT', COUNT(*) FROM erasure_request
				WHERE requester_email IS NOT NULL AND requester_replies_out >= 1 GROUP BY status""")
			.query((rs) -> {
				counted.put(List.of(rs.getString(1), rs.getString(2), rs.getString(3)), rs.getLong(4));
			});
		Map<List<String>, Long> kept = new HashMap<>(kept(jdbc));
		kept.values().removeIf((n) -> n == 0);
		assertThat(kept).as("status_count against the rows").isEqualTo(counted);
	}

}
