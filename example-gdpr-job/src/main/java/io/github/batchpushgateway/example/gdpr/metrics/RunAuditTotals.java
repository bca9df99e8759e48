package io.github.batchpushgateway.example.gdpr.metrics;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * The rows the current run (a job execution and the earlier executions of its instance, when
 * it is a restart) recorded in {@code erasure_audit}, by table and action, for
 * {@code gdpr_erasure_last_run_records}: read from {@code erasure_audit_total}, which
 * {@code ErasureAudit} keeps in the transaction of every audit row it writes, a few rows per
 * execution. Summing the audit rows themselves cost each push the rows written since the one
 * before (some 10,000 to 20,000 during the erase step at 1,000,000 demo customers, half of the
 * metrics' time), and kept in this process's memory the totals would miss a chunk's or a
 * savepoint's rollback.
 */
final class RunAuditTotals {

	/** The run's totals: the primary key's entries of its executions, a few per execution. */
	static final String RUN_TOTALS = """
			SELECT table_name, action, SUM(row_count) FROM erasure_audit_total
			WHERE job_execution_id IN (:executions) GROUP BY table_name, action""";

	private final JdbcClient jdbc;

	/** The execution whose run is read, by id (-1 before the first): the starter may hand over another object of it. */
	private long executionId = -1;

	private Set<Long> executions = Set.of();

	RunAuditTotals(JdbcClient jdbc) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		this.jdbc = jdbc;
	}

	/**
	 * Returns the run's totals as of now.
	 * @param jobExecution the execution being pushed
	 * @return rows per table and action (lower case), only the pairs recorded
	 */
	synchronized Map<List<String>, Long> of(JobExecution jobExecution) {
		if (jobExecution.getId() != this.executionId) {
			this.executionId = jobExecution.getId();
			// the executions of a run are known when it starts: a restart is a new one
			Set<Long> executions = new HashSet<>(this.jdbc
				.sql("SELECT JOB_EXECUTION_ID FROM BATCH_JOB_EXECUTION WHERE JOB_INSTANCE_ID = ?")
				.param(jobExecution.getJobInstance().getInstanceId())
				.query(Long.class)
				.list());
			executions.add(jobExecution.getId());
			this.executions = executions;
		}
		Map<List<String>, Long> totals = new HashMap<>();
		this.jdbc.sql(RUN_TOTALS)
			.param("executions", this.executions)
			.query((rs) -> {
				totals.put(List.of(rs.getString(1), rs.getString(2).toLowerCase(Locale.ROOT)), rs.getLong(3));
			});
		return totals;
	}

}
