package io.github.batchpushgateway.example.gdpr;

import java.nio.file.Path;

import org.h2.jdbcx.JdbcDataSource;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The H2 file database an application run left behind, opened after the run.
 */
final class GdprDatabase {

	private GdprDatabase() {
	}

	static JdbcClient open(Path dataDirectory) {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:file:" + dataDirectory.resolve("gdpr").toAbsolutePath());
		dataSource.setUser("sa");
		dataSource.setPassword("");
		return JdbcClient.create(dataSource);
	}

}
