package io.github.batchpushgateway.example.gdpr;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The census of {@code erasure_audit_total}: the totals {@code ErasureAudit} kept against the
 * audit rows summed now, per execution, table and action.
 */
public final class KeptAuditTotals {

	private KeptAuditTotals() {
	}

	/**
	 * Asserts that every kept total equals the sum of the audit rows it counts, and that every
	 * execution, table and action audited has one.
	 * @param jdbc the database
	 */
	public static void assertEqualToAuditRows(JdbcClient jdbc) {
		assertThat(sums(jdbc, "SELECT job_execution_id, table_name, action, row_count FROM erasure_audit_total"))
			.as("erasure_audit_total against the audit rows")
			.isEqualTo(sums(jdbc, """
					SELECT job_execution_id, table_name, action, SUM(row_count) FROM erasure_audit
					GROUP BY job_execution_id, table_name, action"""));
	}

	private static Map<List<Object>, Long> sums(JdbcClient jdbc, String sql) {
		Map<List<Object>, Long> sums = new HashMap<>();
		jdbc.sql(sql).query((rs) -> {
			sums.put(List.of(rs.getLong(1), rs.getString(2), rs.getString(3)), rs.getLong(4));
		});
		return sums;
	}

}
