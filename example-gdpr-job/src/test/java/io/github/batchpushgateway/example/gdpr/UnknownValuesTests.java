package io.github.batchpushgateway.example.gdpr;

import java.util.List;
import java.util.UUID;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link UnknownValues} finds the rows in a state the job does not know wherever they sort:
 * before, between and after the known values, and just after one (a known value's prefix).
 */
class UnknownValuesTests {

	private final JdbcClient jdbc = database();

	@BeforeEach
	void orders() {
		this.jdbc.sql("CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, status VARCHAR(20))").update();
		this.jdbc.sql("CREATE INDEX orders_status ON orders (status)").update();
		for (String status : List.of("DELIVERED", "DELIVERED", "OPEN", "OPEN", "SHIPPED", "ARCHIVED", "DELIVEREDX",
				"LOST", "LOST", "ZOMBIE")) {
			this.jdbc.sql("INSERT INTO orders (status) VALUES (?)").param(status).update();
		}
		this.jdbc.sql("INSERT INTO orders (status) VALUES (NULL)").update();
	}

	@Test
	void countsEveryRowInAnUnknownStateAndNoneInAKnownOne() {
		assertThat(statuses("SHIPPED", "OPEN", "DELIVERED").count()).isEqualTo(5);
	}

	@Test
	void namesEveryUnknownValueOnce() {
		assertThat(statuses("SHIPPED", "OPEN", "DELIVERED").values()).containsExactly("ARCHIVED", "DELIVEREDX", "LOST",
				"ZOMBIE");
	}

	@Test
	void withNothingKnownEveryValueIsUnknown() {
		assertThat(statuses().count()).isEqualTo(10);
		assertThat(statuses().values()).containsExactly("ARCHIVED", "DELIVERED", "DELIVEREDX", "LOST", "OPEN",
				"SHIPPED", "ZOMBIE");
	}

	private UnknownValues statuses(String... known) {
		return new UnknownValues(this.jdbc, "orders", "status", List.of(known));
	}

	private static JdbcClient database() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:mem:unknown-values-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		return JdbcClient.create(dataSource);
	}

}
