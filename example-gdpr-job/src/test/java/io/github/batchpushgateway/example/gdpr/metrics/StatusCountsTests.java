package io.github.batchpushgateway.example.gdpr.metrics;

import java.util.List;
import java.util.UUID;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link StatusCounts} reads from {@code status_count}: requests per status over every
 * reason or over some, messages per status by acknowledgement, requests holding the
 * requester's address with a reply out per status, zero for a state never kept.
 */
class StatusCountsTests {

	private final JdbcClient jdbc = database();

	@Test
	void requestsAreSummedOverTheirReasonsOrTheReasonsAskedFor() {
		// given
		kept("erasure_request", "REJECTED", "OPEN_CONTRACT", 3);
		kept("erasure_request", "REJECTED", "UNKNOWN_ORDER_STATUS", 2);
		kept("erasure_request", "REJECTED", "MANIFESTLY_UNFOUNDED", 40);
		kept("erasure_request", "VERIFIED", "", 7);

		// when
		StatusCounts counts = StatusCounts.read(this.jdbc);

		// then
		assertThat(counts.requests("REJECTED")).isEqualTo(45);
		assertThat(counts.requests("REJECTED", List.of("OPEN_CONTRACT", "UNKNOWN_ORDER_STATUS"))).isEqualTo(5);
		assertThat(counts.requests("VERIFIED")).isEqualTo(7);
		assertThat(counts.requests("FAILED")).isZero();
	}

	@Test
	void messagesAreReadByAcknowledgementAndNotMistakenForRequests() {
		// given
		kept("notification_outbox", "UNDELIVERABLE", "", 2);
		kept("notification_outbox", "UNDELIVERABLE", StatusCountTrigger.ACKNOWLEDGED, 9);
		kept("notification_outbox", "PENDING", "", 4);
		kept("erasure_request", "PENDING", "", 100);

		// when
		StatusCounts counts = StatusCounts.read(this.jdbc);

		// then
		assertThat(counts.messages("UNDELIVERABLE", false)).isEqualTo(2);
		assertThat(counts.messages("UNDELIVERABLE", true)).isEqualTo(9);
		assertThat(counts.messages("PENDING", false)).isEqualTo(4);
		assertThat(counts.messages("SENT", false)).isZero();
	}

	@Test
	void requesterContactsAreReadPerStatusAndNotMistakenForRequests() {
		// given
		kept("erasure_request", "COMPLETED", "", 50);
		kept(StatusCountTrigger.REQUESTER_CONTACT, "COMPLETED", StatusCountTrigger.REPLY_OUT, 6);
		kept(StatusCountTrigger.REQUESTER_CONTACT, "NO_DATA_HELD", StatusCountTrigger.REPLY_OUT, 2);

		// when
		StatusCounts counts = StatusCounts.read(this.jdbc);

		// then
		assertThat(counts.requesterContactsWithReplyOut("COMPLETED")).isEqualTo(6);
		assertThat(counts.requesterContactsWithReplyOut("NO_DATA_HELD")).isEqualTo(2);
		assertThat(counts.requesterContactsWithReplyOut("VERIFIED")).isZero();
		assertThat(counts.requests("COMPLETED")).isEqualTo(50);
	}

	private void kept(String table, String status, String qualifier, long n) {
		this.jdbc.sql("INSERT INTO status_count (table_name, status, qualifier, n) VALUES (?, ?, ?, ?)")
			.params(table, status, qualifier, n)
			.update();
	}

	private static JdbcClient database() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:mem:status-counts-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		new ResourceDatabasePopulator(new ClassPathResource("schema.sql")).execute(dataSource);
		JdbcClient jdbc = JdbcClient.create(dataSource);
		return jdbc;
	}

}
