package io.github.batchpushgateway.example.gdpr.retention;

import java.time.LocalDate;
import java.util.UUID;

import org.h2.jdbcx.JdbcDataSource;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * Erasure requests holding the requester's address and their outbox messages, written
 * straight into a database with the job's schema, as the job or another system would.
 */
final class RequestsAndMessages {

	private final JdbcClient jdbc;

	RequestsAndMessages(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** A new in-memory database with the job's schema. */
	static JdbcDataSource database() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:mem:retention-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		schema(dataSource);
		return dataSource;
	}

	/** Runs the job's schema, as a start does. */
	static void schema(JdbcDataSource dataSource) {
		new ResourceDatabasePopulator(new ClassPathResource("schema.sql")).execute(dataSource);
	}

	long request(String status, @Nullable String reasonCode) {
		this.jdbc.sql("""
				INSERT INTO erasure_request (subject_id, requester_email, ground, received_at, status, reason_code)
				VALUES (?, 'someone@example.org', 'CONSENT_WITHDRAWN', CURRENT_TIMESTAMP, ?, ?)""")
			.params(UUID.randomUUID(), status, reasonCode)
			.update();
		return this.jdbc.sql("SELECT MAX(id) FROM erasure_request").query(Long.class).single();
	}

	long message(long request, String recipient, String kind, String status) {
		this.jdbc.sql("""
				INSERT INTO notification_outbox (request_id, recipient_key, message, endpoint, status, created_at)
				VALUES (?, ?, ?, 'mailto', ?, CURRENT_TIMESTAMP)""")
			.params(request, recipient, kind, status)
			.update();
		return this.jdbc.sql("SELECT MAX(id) FROM notification_outbox").query(Long.class).single();
	}

	/** A restricted invoice of a request's erasure, kept until a day. */
	long expiredInvoice(long request, LocalDate retainUntil) {
		this.jdbc.sql("""
				INSERT INTO invoice (number, issued_on, billing_name, billing_street, billing_postal_code, billing_city,
					billing_country, total_cents, retain_until, restricted, restricted_by_request)
				VALUES (LEFT(CAST(RANDOM_UUID() AS VARCHAR), 30), DATE '2015-01-01', 'n', 's', 'p', 'c', 'DE', 100, ?, TRUE, ?)""")
			.params(retainUntil, request)
			.update();
		return this.jdbc.sql("SELECT MAX(id) FROM invoice").query(Long.class).single();
	}

	/** A minimised order pointing at an invoice. */
	void order(long invoice) {
		this.jdbc.sql("""
				INSERT INTO orders (placed_at, status, total_cents, invoice_id, minimized_at)
				VALUES (CURRENT_TIMESTAMP, 'DELIVERED', 100, ?, CURRENT_TIMESTAMP)""")
			.param(invoice)
			.update();
	}

	void status(long message, String status) {
		this.jdbc.sql("UPDATE notification_outbox SET status = ? WHERE id = ?").params(status, message).update();
	}

}
