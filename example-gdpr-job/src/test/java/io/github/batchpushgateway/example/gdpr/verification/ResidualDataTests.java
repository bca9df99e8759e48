package io.github.batchpushgateway.example.gdpr.verification;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.batchpushgateway.example.gdpr.erasure.SubjectIdentifiers;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ResidualData} counts a group of subjects with one statement per table, and gives each
 * subject the rows linked to it alone, as counting it on its own does.
 */
class ResidualDataTests {

	private final JdbcClient jdbc = database();

	private final ResidualData residualData = new ResidualData(this.jdbc);

	@Test
	void eachSubjectOfAGroupGetsTheRowsLinkedToItsAccountOrItsAddresses() {
		// given: one subject with an account left behind, one with guest orders under two of its
		// addresses sharing an invoice, one erased completely, one whose only invoice is restricted
		UUID account = customer("left@example.org");
		this.jdbc.sql("INSERT INTO address (customer_id, street, postal_code, city, country) VALUES (?, 'Weg 1', '10115', 'Berlin', 'DE')")
			.param(account)
			.update();
		long accountInvoice = invoice(false);
		order(account, null, accountInvoice);
		order(account, null, accountInvoice);
		SubjectIdentifiers withAccount = SubjectIdentifiers.of(account, "left@example.org");
		long guestInvoice = invoice(false);
		order(null, " Guest@Example.org", guestInvoice);
		order(null, "guest.old@example.org", guestInvoice);
		SubjectIdentifiers guest = SubjectIdentifiers.of(UUID.randomUUID(), "guest@example.org",
				"GUEST.OLD@example.org");
		SubjectIdentifiers erased = SubjectIdentifiers.of(UUID.randomUUID(), "gone@example.org");
		order(null, "kept@example.org", invoice(true));
		SubjectIdentifiers restricted = SubjectIdentifiers.of(UUID.randomUUID(), "kept@example.org");

		// when
		Map<SubjectIdentifiers, Map<String, Long>> residual = this.residualData
			.ofSubjects(List.of(withAccount, guest, erased, restricted));

		// then: rows per table and subject, each invoice once
		assertThat(residual).containsOnlyKeys(withAccount, guest, erased, restricted);
		assertThat(residual.get(withAccount)).containsExactly(Map.entry("customer", 1L), Map.entry("address", 1L),
				Map.entry("marketing_consent", 0L), Map.entry("orders", 2L), Map.entry("invoice", 1L),
				Map.entry("subject_disclosure", 0L));
		assertThat(residual.get(guest)).containsEntry("customer", 0L)
			.containsEntry("orders", 2L)
			.containsEntry("invoice", 1L);
		assertThat(residual.get(erased)).containsOnlyKeys(ResidualData.TABLES).allSatisfy((table, rows) -> assertThat(rows).isZero());
		assertThat(residual.get(restricted)).containsEntry("orders", 1L).containsEntry("invoice", 0L);
		// and each as counted alone
		for (SubjectIdentifiers subject : residual.keySet()) {
			assertThat(this.residualData.ofSubject(subject)).isEqualTo(residual.get(subject));
		}
	}

	private UUID customer(String email) {
		UUID id = UUID.randomUUID();
		this.jdbc.sql("INSERT INTO customer (id, email, name, created_at) VALUES (?, ?, 'Left Behind', LOCALTIMESTAMP)")
			.params(id, email)
			.update();
		return id;
	}

	private long invoice(boolean restricted) {
		long id = this.jdbc.sql("SELECT COALESCE(MAX(id), 0) + 1 FROM invoice").query(Long.class).single();
		this.jdbc.sql("""
				INSERT INTO invoice (id, number, issued_on, billing_name, billing_street, billing_postal_code,
					billing_city, billing_country, total_cents, restricted)
				VALUES (?, ?, CURRENT_DATE, 'Name', 'Weg 1', '10115', 'Berlin', 'DE', 100, ?)""")
			.params(id, "INV-" + id, restricted)
			.update();
		return id;
	}

	private void order(UUID customer, String contactEmail, long invoice) {
		this.jdbc.sql("""
				INSERT INTO orders (customer_id, placed_at, status, total_cents, contact_email, invoice_id)
				VALUES (?, LOCALTIMESTAMP, 'DELIVERED', 100, ?, ?)""")
			.params(customer, contactEmail, invoice)
			.update();
	}

	private static JdbcClient database() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:mem:residual-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		new ResourceDatabasePopulator(new ClassPathResource("schema.sql")).execute(dataSource);
		return JdbcClient.create(dataSource);
	}

}
