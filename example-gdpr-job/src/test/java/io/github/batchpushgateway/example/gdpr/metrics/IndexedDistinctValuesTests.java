package io.github.batchpushgateway.example.gdpr.metrics;

import java.util.UUID;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link IndexedDistinctValues} finds every distinct value of an indexed column while reading
 * one index entry per value, not every row.
 */
class IndexedDistinctValuesTests {

	private final JdbcClient jdbc = shop();

	@Test
	void everyDistinctValueInOrderNullsLeftOut() {
		// given: suppression entries under two keys, one without a fingerprint, and one blank
		for (String fingerprint : new String[] { "b2", "a1", "b2", null, "", "a1" }) {
			this.jdbc.sql("""
					INSERT INTO suppression_entry (email_hmac, created_at, key_fingerprint)
					VALUES (RANDOM_UUID(), LOCALTIMESTAMP, ?)""").param(fingerprint).update();
		}

		// when
		var values = IndexedDistinctValues.of(this.jdbc, "suppression_entry", "key_fingerprint");

		// then
		assertThat(values).containsExactly("", "a1", "b2");
	}

	@Test
	void eachStepIsAnIndexRangeInTheIndexOrderSoItStopsAtTheFirstEntry() {
		// given: a thousand orders in two statuses
		this.jdbc.sql("""
				INSERT INTO orders (placed_at, status, total_cents)
				SELECT LOCALTIMESTAMP, CASE WHEN MOD(X, 2) = 0 THEN 'DELIVERED' ELSE 'CANCELLED' END, 100
				FROM SYSTEM_RANGE(1, 1000)""").update();

		// when: H2 plans the step from the first status to the next
		String plan = this.jdbc
			.sql("EXPLAIN " + IndexedDistinctValues.step("orders", "status", ">").replace("?", "'CANCELLED'"))
			.query(String.class)
			.single();

		// then: a range of the status index, read in its order (no sort of the range), so the
		// first row ends it (EXPLAIN ANALYZE cannot show that: it reads the whole range)
		assertThat(plan).contains("ORDERS_STATUS: STATUS > 'CANCELLED'").contains("index sorted");
		assertThat(IndexedDistinctValues.of(this.jdbc, "orders", "status")).containsExactly("CANCELLED", "DELIVERED");
	}

	private static JdbcClient shop() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:mem:distinct-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		new ResourceDatabasePopulator(new ClassPathResource("schema.sql")).execute(dataSource);
		return JdbcClient.create(dataSource);
	}

}
