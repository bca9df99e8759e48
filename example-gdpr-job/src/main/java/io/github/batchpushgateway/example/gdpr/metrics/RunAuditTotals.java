package io.github.batchpushgateway.example.gdpr.metrics;

import java.sql.ResultSet;
import java.sql.SQLException;
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
 * it is a restart) recorded in {@code erasure_audit}, summed by table and action, for
 * {@code gdpr_erasure_last_run_records}. Summed once per execution, then kept up to date at
 * each push by reading only the audit rows written since the last one (a primary-key range):
 * re-summing every row of the run at every push made a push late in a run of 45,000
 * requests cost a thousand times one early in it.
 *
 * <p>Reading "rows after the last id seen" misses nothing because one writer at a time
 * inserts audit rows (the job's thread; the run lock keeps a second instance out) and never
 * in a transaction nested in another that holds audit rows of its own, so rows commit in the
 * order of their ids; a rolled-back chunk's ids are never used again.
 */
final class RunAuditTotals {

	private static final String SUMS = """
			SELECT job_execution_id, table_name, action, SUM(row_count) AS records, MAX(id) AS last_id
			FROM erasure_audit WHERE %s GROUP BY job_execution_id, table_name, action""";

	private final JdbcClient jdbc;

	/** The execution summed, by id (-1 before the first): the starter may hand over another object of it. */
	private long executionId = -1;

	private Set<Long> executions = Set.of();

	private long lastId;

	private final Map<List<String>, Long> totals = new HashMap<>();

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
			start(jobExecution);
		}
		else {
			this.jdbc.sql(SUMS.formatted("id > ?")).param(this.lastId).query(this::add);
		}
		return Map.copyOf(this.totals);
	}

	private void start(JobExecution jobExecution) {
		this.executionId = jobExecution.getId();
		this.totals.clear();
		this.executions = new HashSet<>(this.jdbc
			.sql("SELECT JOB_EXECUTION_ID FROM BATCH_JOB_EXECUTION WHERE JOB_INSTANCE_ID = ?")
			.param(jobExecution.getJobInstance().getInstanceId())
			.query(Long.class)
			.list());
		this.executions.add(jobExecution.getId());
		// the newest id first (the end of the primary key), then the run's rows up to it (its execution index)
		this.lastId = this.jdbc.sql("SELECT COALESCE(MAX(id), 0) FROM erasure_audit").query(Long.class).single();
		this.jdbc.sql(SUMS.formatted("job_execution_id IN (:executions) AND id <= :last"))
			.param("executions", this.executions)
			.param("last", this.lastId)
			.query(this::add);
	}

	private void add(ResultSet rs) throws SQLException {
		this.lastId = Math.max(this.lastId, rs.getLong("last_id"));
		// rows of another instance cannot come after this one started; kept out all the same
		if (this.executions.contains(rs.getLong("job_execution_id"))) {
			this.totals.merge(List.of(rs.getString("table_name"), rs.getString("action").toLowerCase(Locale.ROOT)),
					rs.getLong("records"), Long::sum);
		}
	}

}
