package io.github.batchpushgateway.example.gdpr.verification;

import java.util.List;
import java.util.UUID;

import org.h2.jdbcx.JdbcDataSource;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * An in-memory database with the job's schema for the verification tests, and what they read
 * back from it.
 */
final class VerificationDatabase {

	private VerificationDatabase() {
	}

	static JdbcDataSource create() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:mem:verification-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		new ResourceDatabasePopulator(new ClassPathResource("schema.sql")).execute(dataSource);
		return dataSource;
	}

	/** The requests with a confirmation queued, once per confirmation. */
	static List<Long> confirmed(JdbcClient jdbc) {
		return jdbc.sql("SELECT request_id FROM notification_outbox WHERE message = 'ERASURE_CONFIRMATION'")
			.query(Long.class)
			.list();
	}

}
