package io.github.batchpushgateway.example.gdpr.notification;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.test.MetaDataInstanceFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * {@link CommitsOnDiskFirst} writes H2's committed changes to the file before a dispatch step
 * starts, and leaves other databases alone.
 */
class CommitsOnDiskFirstTests {

	@TempDir
	Path directory;

	@Test
	void committedChangesAreWrittenToH2sFileBeforeTheStepStarts() {
		// given: a file database that would write a commit only a minute later
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:file:" + this.directory.resolve("shop") + ";WRITE_DELAY=60000");
		dataSource.setUser("sa");
		JdbcClient jdbc = JdbcClient.create(dataSource);
		try (Connection open = dataSource.getConnection()) { // keeps the database open between statements
			jdbc.sql("CREATE TABLE erased (id BIGINT)").update();
			CommitsOnDiskFirst listener = new CommitsOnDiskFirst(dataSource);
			jdbc.sql("INSERT INTO erased VALUES (1)").update();
			long writesBefore = fileWrites(jdbc);

			// when
			listener.beforeStep(MetaDataInstanceFactory.createStepExecution());

			// then
			assertThat(fileWrites(jdbc)).isGreaterThan(writesBefore);
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void anotherDatabaseIsAskedOnlyWhatItIs() throws Exception {
		// given
		DataSource dataSource = mock(DataSource.class);
		Connection connection = mock(Connection.class);
		DatabaseMetaData metaData = mock(DatabaseMetaData.class);
		given(dataSource.getConnection()).willReturn(connection);
		given(connection.getMetaData()).willReturn(metaData);
		given(metaData.getDatabaseProductName()).willReturn("PostgreSQL");
		CommitsOnDiskFirst listener = new CommitsOnDiskFirst(dataSource);

		// when
		listener.beforeStep(MetaDataInstanceFactory.createStepExecution());

		// then: the one connection that read the product's name, no statement
		verify(dataSource, times(1)).getConnection();
	}

	private static long fileWrites(JdbcClient jdbc) {
		return jdbc.sql("SELECT CAST(SETTING_VALUE AS BIGINT) FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'info.FILE_WRITE'")
			.query(Long.class)
			.single();
	}

}
