package io.github.batchpushgateway.batch;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.ResultSetExtractor;

/**
 * Reads a job's executions from a JDBC job repository's {@code BATCH_JOB_EXECUTION} table by the
 * columns a group's history and its running count use, one statement per read. The
 * {@code JobRepository} API reads each execution with its parameters, its steps and every
 * execution context, deserialized, in several statements per execution; a group's first push in
 * a JVM paid that for the job's newest instances, in the cold process of a short job a good part
 * of its classes and statements.
 */
final class JdbcJobExecutions {

	private static final String COLUMNS = "SELECT E.JOB_EXECUTION_ID, E.JOB_INSTANCE_ID, E.CREATE_TIME, E.START_TIME, "
			+ "E.END_TIME, E.STATUS, E.EXIT_CODE, E.LAST_UPDATED";

	private static final String OF_JOB = " FROM %1$sJOB_EXECUTION E JOIN %1$sJOB_INSTANCE I"
			+ " ON E.JOB_INSTANCE_ID = I.JOB_INSTANCE_ID WHERE I.JOB_NAME = ?";

	/** Newest instance first, as {@code JobRepository.getJobInstances} lists them. */
	private static final String NEWEST = COLUMNS + OF_JOB + " ORDER BY E.JOB_INSTANCE_ID DESC, E.JOB_EXECUTION_ID DESC";

	/** The statuses {@code JobRepository.findRunningJobExecutions} reads as running. */
	private static final String RUNNING = COLUMNS + ", (SELECT MAX(S.LAST_UPDATED) FROM %1$sSTEP_EXECUTION S"
			+ " WHERE S.JOB_EXECUTION_ID = E.JOB_EXECUTION_ID) AS STEPS_UPDATED" + OF_JOB
			+ " AND E.STATUS IN ('STARTING', 'STARTED', 'STOPPING')";

	private final JdbcOperations jdbc;

	private final String newest;

	private final String running;

	/**
	 * Creates the reads of a JDBC job repository.
	 * @param jdbc the job repository's database
	 * @param tablePrefix the prefix of Spring Batch's tables
	 */
	JdbcJobExecutions(JdbcOperations jdbc, String tablePrefix) {
		this.jdbc = jdbc;
		this.newest = NEWEST.formatted(tablePrefix);
		this.running = RUNNING.formatted(tablePrefix);
	}

	/**
	 * Reads the executions of a job's newest instances, newest instance first and, within one,
	 * newest execution first. As Spring Batch's own read of a job's instances, the rows come in
	 * that order and reading stops after the last instance asked for.
	 * @param jobName the job's name
	 * @param instances how many instances, at most
	 * @return their executions, by their columns only
	 * @throws org.springframework.dao.DataAccessException when the tables cannot be read
	 */
	List<Columns> ofNewestInstances(String jobName, int instances) {
		return (instances > 0) ? this.jdbc.query(this.newest, new FirstInstances(jobName, instances), jobName)
				: List.of();
	}

	/**
	 * Reads the executions of a job the repository lists as running, in any JVM.
	 * @param jobName the job's name
	 * @return the executions, by their columns only; each one's last update is the newest of its
	 * own and its steps', the only use the steps of another JVM's execution have here
	 * @throws org.springframework.dao.DataAccessException when the tables cannot be read
	 */
	List<Columns> running(String jobName) {
		return this.jdbc.query(this.running, new Running(jobName), jobName);
	}

	private static Columns columns(ResultSet row, String jobName, @Nullable LocalDateTime stepsUpdated)
			throws SQLException {
		Columns execution = new Columns(row.getLong("JOB_EXECUTION_ID"),
				new JobInstance(row.getLong("JOB_INSTANCE_ID"), jobName));
		execution.setCreateTime(JdbcStepExecutions.time(row, "CREATE_TIME"));
		execution.setStartTime(JdbcStepExecutions.time(row, "START_TIME"));
		execution.setEndTime(JdbcStepExecutions.time(row, "END_TIME"));
		execution.setStatus(BatchStatus.valueOf(row.getString("STATUS")));
		String exitCode = row.getString("EXIT_CODE");
		execution.setExitStatus((exitCode != null) ? new ExitStatus(exitCode) : ExitStatus.UNKNOWN);
		LocalDateTime updated = JdbcStepExecutions.time(row, "LAST_UPDATED");
		execution.setLastUpdated((stepsUpdated != null && (updated == null || stepsUpdated.isAfter(updated)))
				? stepsUpdated : updated);
		return execution;
	}

	/**
	 * The rows of a job's first instances, newest first; reading stops after the last one asked
	 * for. The reads are classes rather than lambdas: a lambda spins a class at its first use,
	 * which a short job's JVM pays at its first push (see docs/measured.md).
	 */
	private static final class FirstInstances implements ResultSetExtractor<List<Columns>> {

		private final String jobName;

		private final int instances;

		FirstInstances(String jobName, int instances) {
			this.jobName = jobName;
			this.instances = instances;
		}

		@Override
		public List<Columns> extractData(ResultSet rows) throws SQLException {
			List<Columns> executions = new ArrayList<>();
			long instance = -1;
			int seen = 0;
			while (rows.next()) {
				long id = rows.getLong("JOB_INSTANCE_ID");
				if (id != instance) {
					if (seen == this.instances) {
						break;
					}
					instance = id;
					seen++;
				}
				executions.add(columns(rows, this.jobName, null));
			}
			return executions;
		}

	}

	/** The rows of a job's running executions, each with its steps' last save. */
	private static final class Running implements ResultSetExtractor<List<Columns>> {

		private final String jobName;

		Running(String jobName) {
			this.jobName = jobName;
		}

		@Override
		public List<Columns> extractData(ResultSet rows) throws SQLException {
			List<Columns> executions = new ArrayList<>();
			while (rows.next()) {
				executions.add(columns(rows, this.jobName, JdbcStepExecutions.time(rows, "STEPS_UPDATED")));
			}
			return executions;
		}

	}

	/**
	 * An execution read by its columns only: ids, times, status and exit code, without parameters,
	 * steps or execution context. Where a group shows one, its history reads it in full first.
	 */
	static final class Columns extends JobExecution {

		Columns(long id, JobInstance instance) {
			super(id, instance, new JobParameters());
		}

	}

}
