package io.github.batchpushgateway.example.gdpr;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The census of {@code erasure_request.requester_replies_out}: the marks the trigger kept
 * against the requester's messages out counted now, request by request.
 */
public final class KeptRequesterReplies {

	private KeptRequesterReplies() {
	}

	/**
	 * Asserts that every request's kept count of replies out equals its messages to the
	 * requester that are delivered or given up now.
	 * @param jdbc the database
	 */
	public static void assertEqualToOutbox(JdbcClient jdbc) {
		List<String> differing = jdbc.sql("""
				SELECT r.id || ': kept ' || r.requester_replies_out || ', out ' || o.n
				FROM erasure_request r JOIN (SELECT r2.id AS request_id, COUNT(m.id) AS n FROM erasure_request r2
					LEFT JOIN notification_outbox m ON m.request_id = r2.id AND m.recipient_key = 'requester'
						AND m.status IN ('SENT', 'UNDELIVERABLE')
					GROUP BY r2.id) o ON o.request_id = r.id
				WHERE r.requester_replies_out <> o.n""").query(String.class).list();
		assertThat(differing).as("requests whose requester_replies_out differs from the outbox").isEmpty();
	}

}
