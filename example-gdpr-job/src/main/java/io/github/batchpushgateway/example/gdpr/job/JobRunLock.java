package io.github.batchpushgateway.example.gdpr.job;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.batch.autoconfigure.JobLauncherApplicationRunner;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.util.Assert;

/**
 * One run of the job at a time on one database, whatever schedules it, and the proof that a
 * run is gone: at start-up the process locks the job's row of {@code job_run_lock}
 * ({@code SELECT ... FOR UPDATE SKIP LOCKED}) on a connection of its own and keeps the
 * transaction open until the job has run. The database releases the lock when the process
 * ends, however it ends ({@code kill -9} included: its connection drops). So a second
 * instance finds the row locked and stops before it touches anything, and an execution still
 * marked running while this process holds the lock belongs to a process that is provably
 * gone (see {@link InterruptedRunRecovery}).
 *
 * <p>A {@code concurrencyPolicy: Forbid} CronJob already keeps one run per schedule; the lock
 * covers what it cannot see: two deployments, a run started by hand, a second cluster.
 */
public final class JobRunLock implements ApplicationRunner, Ordered, ApplicationListener<ApplicationReadyEvent>,
		DisposableBean {

	private static final Log logger = LogFactory.getLog(JobRunLock.class);

	private final DataSource dataSource;

	private final String jobName;

	private @Nullable Connection connection;

	public JobRunLock(DataSource dataSource, String jobName) {
		Assert.notNull(dataSource, "'dataSource' must not be null");
		Assert.hasText(jobName, "'jobName' must not be empty");
		this.dataSource = dataSource;
		this.jobName = jobName;
	}

	@Override
	public int getOrder() {
		return JobLauncherApplicationRunner.DEFAULT_ORDER - 3; // before recovery, demo data and the job
	}

	@Override
	public void run(ApplicationArguments args) {
		if (!tryAcquire()) {
			throw new ConcurrentRunException(this.jobName);
		}
	}

	/**
	 * Takes the lock unless another process holds it. Never waits.
	 * @return whether this process holds the lock now
	 */
	public synchronized boolean tryAcquire() {
		if (this.connection != null) {
			return true;
		}
		Connection candidate = DataSourceUtils.getConnection(this.dataSource);
		try {
			candidate.setAutoCommit(false);
			if (select(candidate, " FOR UPDATE SKIP LOCKED")) {
				this.connection = candidate;
				return true;
			}
			Assert.state(select(candidate, ""), () -> "job_run_lock has no row for " + this.jobName
					+ ": schema.sql inserts it, is spring.sql.init.mode 'always'?");
			close(candidate);
			return false;
		}
		catch (SQLException ex) {
			close(candidate);
			throw new IllegalStateException("Could not take the run lock of " + this.jobName + " (SQL state "
					+ ex.getSQLState() + ")");
		}
	}

	/**
	 * Tells whether this process holds the lock.
	 * @return whether it does
	 */
	public synchronized boolean isHeld() {
		return this.connection != null;
	}

	/**
	 * Releases the lock, if held.
	 */
	public synchronized void release() {
		if (this.connection != null) {
			close(this.connection);
			this.connection = null;
		}
	}

	/**
	 * The runners, the job among them, have finished: another run may start.
	 */
	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		release();
	}

	@Override
	public void destroy() {
		release();
	}

	private boolean select(Connection connection, String lock) throws SQLException {
		try (PreparedStatement statement = connection
			.prepareStatement("SELECT job_name FROM job_run_lock WHERE job_name = ?" + lock)) {
			statement.setString(1, this.jobName);
			try (ResultSet result = statement.executeQuery()) {
				return result.next();
			}
		}
	}

	private static void close(Connection connection) {
		try {
			connection.rollback();
			connection.setAutoCommit(true);
		}
		catch (SQLException ex) {
			logger.debug("Could not end the run lock's transaction (SQL state " + ex.getSQLState() + ")");
		}
		finally {
			DataSourceUtils.releaseConnection(connection, null);
		}
	}

}
