package io.github.batchpushgateway.batch;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.batchpushgateway.metrics.StepSample;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.BatchStatus;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.util.Assert;

/**
 * Reads all step executions of a job execution from a JDBC job repository's
 * {@code BATCH_STEP_EXECUTION} table in one statement. Spring Batch's {@code JobRepository} offers
 * no such read: {@code getJobExecution} loads each step's execution context with a query of its
 * own, so a grid of a thousand partitions would cost a thousand queries at every push.
 *
 * <p>Internal; not an extension point: public only for the starter's other packages, and may
 * change in any release.
 */
public final class JdbcStepExecutions {

	private static final String QUERY = "SELECT STEP_EXECUTION_ID, STEP_NAME, STATUS, START_TIME, END_TIME, "
			+ "LAST_UPDATED, READ_COUNT, WRITE_COUNT, FILTER_COUNT, READ_SKIP_COUNT, PROCESS_SKIP_COUNT, "
			+ "WRITE_SKIP_COUNT, COMMIT_COUNT, ROLLBACK_COUNT FROM %sSTEP_EXECUTION WHERE JOB_EXECUTION_ID = ?";

	private final JdbcOperations jdbc;

	private final String tablePrefix;

	private final String query;

	/**
	 * Creates the reads of a JDBC job repository.
	 * @param jdbc the job repository's database
	 * @param tablePrefix the prefix of Spring Batch's tables ({@code spring.batch.jdbc.table-prefix},
	 * {@code BATCH_} by default)
	 */
	public JdbcStepExecutions(JdbcOperations jdbc, String tablePrefix) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		Assert.hasText(tablePrefix, "'tablePrefix' must not be empty");
		this.jdbc = jdbc;
		this.tablePrefix = tablePrefix;
		this.query = QUERY.formatted(tablePrefix);
	}

	/**
	 * Returns the reads of the job executions in the same tables.
	 * @return the reads of a job's executions by their columns
	 */
	JdbcJobExecutions jobExecutions() {
		return new JdbcJobExecutions(this.jdbc, this.tablePrefix);
	}

	/**
	 * Reads the step executions of a job execution.
	 * @param jobExecutionId the job execution's id
	 * @return its step executions as saved, by id
	 * @throws org.springframework.dao.DataAccessException when the table cannot be read
	 */
	Map<Long, StepSample> of(long jobExecutionId) {
		Map<Long, StepSample> steps = new LinkedHashMap<>();
		this.jdbc.query(this.query, (ResultSet row) -> {
			StepSample step = sample(row);
			steps.put(step.id(), step);
		}, jobExecutionId);
		return steps;
	}

	private static StepSample sample(ResultSet row) throws SQLException {
		return new StepSample(row.getLong("STEP_EXECUTION_ID"), row.getString("STEP_NAME"),
				BatchStatus.valueOf(row.getString("STATUS")), time(row, "START_TIME"), time(row, "END_TIME"),
				time(row, "LAST_UPDATED"), row.getLong("READ_COUNT"), row.getLong("WRITE_COUNT"),
				row.getLong("FILTER_COUNT"), row.getLong("READ_SKIP_COUNT"), row.getLong("PROCESS_SKIP_COUNT"),
				row.getLong("WRITE_SKIP_COUNT"), row.getLong("COMMIT_COUNT"), row.getLong("ROLLBACK_COUNT"));
	}

	/** Reads a time column, {@code null} where it holds none. */
	static @Nullable LocalDateTime time(ResultSet row, String column) throws SQLException {
		Timestamp time = row.getTimestamp(column);
		return (time != null) ? time.toLocalDateTime() : null;
	}

}
