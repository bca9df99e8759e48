package io.github.batchpushgateway.example.gdpr.notification;

import java.sql.DatabaseMetaData;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.util.Assert;

/**
 * Before a step tells recipients or requesters anything, makes what the steps before it
 * committed durable. H2 in file mode writes committed changes to its file within
 * {@code WRITE_DELAY} (500 ms by default), so without this a requester's confirmation, sent
 * milliseconds after the erase step's last commit, could go out for an erasure that a
 * {@code kill -9} or a power loss then undoes; the next run would erase again and confirm
 * twice. Other databases make a commit durable when it returns: on them this does nothing.
 */
public class CommitsOnDiskFirst implements StepExecutionListener {

	private final JdbcClient jdbc;

	private final boolean h2;

	public CommitsOnDiskFirst(DataSource dataSource) {
		Assert.notNull(dataSource, "'dataSource' must not be null");
		this.jdbc = JdbcClient.create(dataSource);
		this.h2 = "H2".equals(productName(dataSource));
	}

	private static @Nullable String productName(DataSource dataSource) {
		try {
			return JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
		}
		catch (MetaDataAccessException ex) {
			return null; // not known to be H2: nothing to do
		}
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		if (this.h2) {
			// writes the committed changes to the file and syncs it
			this.jdbc.sql("CHECKPOINT SYNC").update();
		}
	}

}
