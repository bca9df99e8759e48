package io.github.batchpushgateway.example.gdpr;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Test fixtures: the shop's data, inserted row by row with personal data that is easy to
 * search for (every value of a customer carries a unique marker).
 */
final class Shop {

	static final List<String> RECIPIENTS = List.of("payment-provider", "parcel-carrier", "newsletter-platform",
			"ad-network", "credit-agency");

	private static final List<String> DOMAIN_TABLES = List.of("notification_outbox", "erasure_audit", "erasure_audit_total",
			"suppression_entry", "subject_disclosure", "legal_hold", "marketing_consent", "address", "orders", "invoice",
			"erasure_request", "customer", "data_recipient");

	private static final AtomicInteger sequence = new AtomicInteger();

	private final JdbcClient jdbc;

	private final Clock clock;

	Shop(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Empties every domain table and adds the five recipients.
	 */
	void reset() {
		DOMAIN_TABLES.forEach((table) -> this.jdbc.sql("DELETE FROM " + table).update());
		for (String code : RECIPIENTS) {
			this.jdbc.sql("INSERT INTO data_recipient (code, name, endpoint) VALUES (?, ?, ?)")
				.params(code, "Recipient " + code, "https://" + code + ".example.com/gdpr")
				.update();
		}
	}

	LocalDate today() {
		return LocalDate.now(this.clock);
	}

	LocalDateTime now() {
		return LocalDateTime.now(this.clock);
	}

	/**
	 * A customer with one address and an e-mail marketing consent.
	 */
	Customer customer() {
		String n = String.format("%05d", sequence.incrementAndGet()); // fixed width: no value contains another
		Customer customer = new Customer(UUID.randomUUID(), "Zelda Quistorp" + n, "zelda.quistorp" + n + "@example.org",
				"+44 20 7946 0" + n, "Quistorpweg " + n);
		this.jdbc.sql("INSERT INTO customer (id, email, name, phone, created_at) VALUES (?, ?, ?, ?, ?)")
			.params(customer.id(), customer.email(), customer.name(), customer.phone(), now().minusYears(2))
			.update();
		this.jdbc.sql("INSERT INTO address (customer_id, street, postal_code, city, country) VALUES (?, ?, ?, ?, ?)")
			.params(customer.id(), customer.street(), "10115", "Berlin", "DE")
			.update();
		this.jdbc.sql("INSERT INTO marketing_consent (customer_id, channel, granted_at) VALUES (?, 'EMAIL', ?)")
			.params(customer.id(), now().minusYears(2))
			.update();
		return customer;
	}

	/**
	 * A delivered order with its invoice.
	 * @return the invoice id
	 */
	long deliveredOrder(Customer customer, LocalDate retainUntil) {
		this.jdbc.sql("""
				INSERT INTO invoice (number, issued_on, billing_name, billing_street, billing_postal_code, billing_city,
					billing_country, total_cents, retain_until)
				VALUES (?, ?, ?, ?, '10115', 'Berlin', 'DE', 4990, ?)""")
			.params("INV-" + sequence.incrementAndGet(), today().minusYears(1), customer.name(), customer.street(), retainUntil)
			.update();
		long invoice = this.jdbc.sql("SELECT MAX(id) FROM invoice").query(Long.class).single();
		order(customer, "DELIVERED", invoice);
		return invoice;
	}

	long openOrder(Customer customer) {
		return order(customer, "OPEN", null);
	}

	long order(Customer customer, String status) {
		return order(customer, status, null);
	}

	/**
	 * An order placed without an account: no customer link, the customer's contact data
	 * under the given spelling of their address, and an invoice.
	 * @return the order id
	 */
	long guestOrder(Customer customer, String email, String status) {
		long invoice = invoice(customer, this.today().plusYears(5));
		long order = order(customer, status, invoice);
		this.jdbc.sql("UPDATE orders SET customer_id = NULL, contact_email = ? WHERE id = ?").params(email, order).update();
		return order;
	}

	private long invoice(Customer customer, LocalDate retainUntil) {
		this.jdbc.sql("""
				INSERT INTO invoice (number, issued_on, billing_name, billing_street, billing_postal_code, billing_city,
					billing_country, total_cents, retain_until)
				VALUES (?, ?, ?, ?, '10115', 'Berlin', 'DE', 4990, ?)""")
			.params("INV-" + sequence.incrementAndGet(), today().minusYears(1), customer.name(), customer.street(), retainUntil)
			.update();
		return this.jdbc.sql("SELECT MAX(id) FROM invoice").query(Long.class).single();
	}

	/**
	 * Somebody the shop holds nothing about: not inserted anywhere.
	 */
	Customer stranger() {
		String n = String.format("%05d", sequence.incrementAndGet());
		return new Customer(UUID.randomUUID(), "Yannick Stranger" + n, "yannick.stranger" + n + "@example.net",
				"+44 20 7946 1" + n, "Strangerweg " + n);
	}

	/**
	 * A verified request on the given ground.
	 * @return the request id
	 */
	long verifiedRequest(Customer customer, String ground) {
		long request = verifiedRequest(customer);
		this.jdbc.sql("UPDATE erasure_request SET ground = ? WHERE id = ?").params(ground, request).update();
		return request;
	}

	private long order(Customer customer, String status, Long invoice) {
		this.jdbc.sql("""
				INSERT INTO orders (customer_id, placed_at, status, total_cents, shipping_name, shipping_street,
					shipping_postal_code, shipping_city, shipping_country, contact_email, contact_phone, notes, invoice_id)
				VALUES (?, ?, ?, 4990, ?, ?, '10115', 'Berlin', 'DE', ?, ?, ?, ?)""")
			.params(customer.id(), now().minusDays(3), status, customer.name(), customer.street(), customer.email(),
					customer.phone(), "Ring twice, " + customer.name(), invoice)
			.update();
		return this.jdbc.sql("SELECT MAX(id) FROM orders").query(Long.class).single();
	}

	void disclosure(Customer customer, String recipientCode) {
		disclosure(customer, recipientCode, recipientCode + "-ref-" + customer.email());
	}

	void disclosure(Customer customer, String recipientCode, String reference) {
		this.jdbc.sql("""
				INSERT INTO subject_disclosure (customer_id, recipient_id, recipient_subject_ref, data_categories, disclosed_on)
				SELECT ?, id, ?, 'contact details', ? FROM data_recipient WHERE code = ?""")
			.params(customer.id(), reference, today().minusMonths(6), recipientCode)
			.update();
	}

	void legalHold(Customer customer, LocalDate releasedOn) {
		this.jdbc.sql("""
				INSERT INTO legal_hold (customer_id, basis, scope, placed_on, review_on, released_on)
				VALUES (?, 'Payment dispute', 'ALL', ?, ?, ?)""")
			.params(customer.id(), today().minusMonths(3), today().plusMonths(3), releasedOn)
			.update();
	}

	/**
	 * An identity-verified request received a week ago.
	 * @return the request id
	 */
	long verifiedRequest(Customer customer) {
		return request(customer, "VERIFIED", now().minusDays(7), null);
	}

	long request(Customer customer, String status, LocalDateTime receivedAt, LocalDate extensionNotifiedOn) {
		return request(customer, status, receivedAt, extensionNotifiedOn,
				(extensionNotifiedOn != null) ? "COMPLEXITY" : null);
	}

	long request(Customer customer, String status, LocalDateTime receivedAt, LocalDate extensionNotifiedOn,
			String extensionReason) {
		this.jdbc.sql("""
				INSERT INTO erasure_request (subject_id, requester_email, ground, received_at, identity_verified_at,
					extension_reason, extension_notified_on, status)
				VALUES (?, ?, 'CONSENT_WITHDRAWN', ?, ?, ?, ?, ?)""")
			.params(customer.id(), customer.email(), receivedAt, status.equals("RECEIVED") ? null : receivedAt.plusDays(1),
					extensionReason, extensionNotifiedOn, status)
			.update();
		return this.jdbc.sql("SELECT MAX(id) FROM erasure_request").query(Long.class).single();
	}

	Map<String, Object> row(String table, Object id) {
		List<Map<String, Object>> rows = rows("SELECT * FROM " + table + " WHERE id = ?", id);
		if (rows.size() != 1) {
			throw new AssertionError("Expected one row of " + table + " with id " + id + " but found " + rows.size());
		}
		return rows.get(0);
	}

	/**
	 * Rows with {@code java.time} values instead of {@code java.sql} ones, and column names
	 * in upper case.
	 */
	List<Map<String, Object>> rows(String sql, Object... params) {
		return this.jdbc.sql(sql).params(params).query().listOfRows().stream().map(Shop::withJavaTime).toList();
	}

	private static Map<String, Object> withJavaTime(Map<String, Object> row) {
		Map<String, Object> converted = new java.util.LinkedHashMap<>();
		row.forEach((column, value) -> {
			if (value instanceof java.sql.Date date) {
				converted.put(column, date.toLocalDate());
			}
			else if (value instanceof java.sql.Timestamp timestamp) {
				converted.put(column, timestamp.toLocalDateTime());
			}
			else {
				converted.put(column, value);
			}
		});
		return converted;
	}

	long count(String sql, Object... params) {
		return this.jdbc.sql(sql).params(params).query(Long.class).single();
	}

	/**
	 * Every domain table's content, for comparing the database before and after a run.
	 */
	Map<String, List<Map<String, Object>>> dump() {
		Map<String, List<Map<String, Object>>> dump = new java.util.TreeMap<>();
		for (String table : DOMAIN_TABLES) {
			dump.put(table, rows("SELECT * FROM " + table + " ORDER BY 1"));
		}
		return dump;
	}

	/**
	 * A customer's personal data.
	 */
	record Customer(UUID id, String name, String email, String phone, String street) {

		List<String> personalData() {
			return List.of(this.name, this.email, this.phone, this.street, this.id.toString());
		}

	}

}
