package io.github.batchpushgateway.example.gdpr.retention;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Savepoint;
import java.sql.Statement;

import io.github.batchpushgateway.example.gdpr.KeptRequesterReplies;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code erasure_request.requester_replies_out} as {@link RequesterRepliesOutTrigger} keeps
 * it: the request's messages to the requester delivered or given up, after every kind of
 * change, with the message's transaction.
 */
class RequesterRepliesOutTriggerTests {

	private final JdbcDataSource dataSource = RequestsAndMessages.database();

	private final JdbcClient jdbc = JdbcClient.create(this.dataSource);

	private final RequestsAndMessages shop = new RequestsAndMessages(this.jdbc);

	@AfterEach
	void marksAreTheOutbox() {
		KeptRequesterReplies.assertEqualToOutbox(this.jdbc);
	}

	@Test
	void aReplyMarksItsRequestOnceDelivered() {
		// given
		long request = this.shop.request("COMPLETED", null);
		long reply = this.shop.message(request, "requester", "ERASURE_CONFIRMATION", "PENDING");
		assertThat(repliesOut(request)).isZero();

		// when
		this.shop.status(reply, "SENT");

		// then
		assertThat(repliesOut(request)).isOne();
	}

	@Test
	void aReplyGivenUpMarksItsRequestAndAnAcknowledgementKeepsTheMark() {
		// given
		long request = this.shop.request("COMPLETED", null);
		long reply = this.shop.message(request, "requester", "NO_DATA_NOTICE", "PENDING");

		// when
		this.shop.status(reply, "UNDELIVERABLE");
		this.jdbc.sql("UPDATE notification_outbox SET acknowledged_at = CURRENT_TIMESTAMP WHERE id = ?").param(reply).update();

		// then
		assertThat(repliesOut(request)).isOne();
	}

	@Test
	void aMessageToARecipientMarksNothing() {
		// given: a request with two recipients, the requester and a system the data was disclosed to
		long request = this.shop.request("COMPLETED", null);
		long notice = this.shop.message(request, "ad-network", "ERASURE_NOTICE", "PENDING");
		long reply = this.shop.message(request, "requester", "ERASURE_CONFIRMATION", "PENDING");

		// when
		this.shop.status(notice, "SENT");

		// then
		assertThat(repliesOut(request)).isZero();
		this.shop.status(reply, "SENT");
		assertThat(repliesOut(request)).isOne();
	}

	@Test
	void aReplyQueuedAgainTakesItsMarkBackButAnotherReplyOutKeepsTheRequestMarked() {
		// given: a hold notice delivered, then the confirmation once the hold was released
		long request = this.shop.request("COMPLETED", null);
		long holdNotice = this.shop.message(request, "requester", "HOLD_NOTICE", "SENT");
		long confirmation = this.shop.message(request, "requester", "ERASURE_CONFIRMATION", "UNDELIVERABLE");
		assertThat(repliesOut(request)).isEqualTo(2);

		// when: the given-up confirmation is queued again
		this.shop.status(confirmation, "PENDING");

		// then
		assertThat(repliesOut(request)).isOne();
		this.shop.status(holdNotice, "PENDING");
		assertThat(repliesOut(request)).isZero();
	}

	@Test
	void aReplyDeletedTakesItsMarkWithIt() {
		// given
		long request = this.shop.request("COMPLETED", null);
		long reply = this.shop.message(request, "requester", "ERASURE_CONFIRMATION", "SENT");

		// when
		this.jdbc.sql("DELETE FROM notification_outbox WHERE id = ?").param(reply).update();

		// then
		assertThat(repliesOut(request)).isZero();
	}

	@Test
	void aChangeOfAnotherColumnChangesNoMark() {
		// given
		long request = this.shop.request("COMPLETED", null);
		long reply = this.shop.message(request, "requester", "ERASURE_CONFIRMATION", "SENT");

		// when: the delivered reply's reference cleared, an attempt counted
		this.jdbc.sql("UPDATE notification_outbox SET subject_reference = NULL, attempts = attempts + 1 WHERE id = ?")
			.param(reply)
			.update();

		// then
		assertThat(repliesOut(request)).isOne();
	}

	@Test
	void aRollbackTakesTheMarkBackWithTheMessage() throws Exception {
		// given
		long request = this.shop.request("COMPLETED", null);
		long first = this.shop.message(request, "requester", "HOLD_NOTICE", "PENDING");
		long second = this.shop.message(request, "requester", "ERASURE_CONFIRMATION", "PENDING");

		// when: a chunk whose second message fails back to its savepoint, then all of it rolled back
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement()) {
			connection.setAutoCommit(false);
			statement.executeUpdate("UPDATE notification_outbox SET status = 'SENT' WHERE id = " + first);
			Savepoint savepoint = connection.setSavepoint();
			statement.executeUpdate("UPDATE notification_outbox SET status = 'SENT' WHERE id = " + second);
			connection.rollback(savepoint);
			try (ResultSet marked = statement.executeQuery("SELECT requester_replies_out FROM erasure_request WHERE id = " + request)) {
				assertThat(marked.next()).isTrue();
				assertThat(marked.getInt(1)).isOne();
			}
			connection.rollback();
		}

		// then
		assertThat(repliesOut(request)).isZero();
	}

	@Test
	void aDatabaseFromBeforeTheMarksIsMarkedOnceWhenTheSchemaRunsAgain() {
		// given: requests answered before the marks were kept
		this.jdbc.sql("DROP TRIGGER notification_outbox_requester_replies_out").update();
		this.jdbc.sql("DROP INDEX erasure_request_holds_requester_email_replies_out").update();
		this.jdbc.sql("ALTER TABLE erasure_request DROP COLUMN requester_replies_out").update();
		long answered = this.shop.request("COMPLETED", null);
		this.shop.message(answered, "requester", "ERASURE_CONFIRMATION", "SENT");
		this.shop.message(answered, "ad-network", "ERASURE_NOTICE", "SENT");
		long givenUp = this.shop.request("COMPLETED", null);
		this.shop.message(givenUp, "requester", "NO_DATA_NOTICE", "UNDELIVERABLE");
		long waiting = this.shop.request("COMPLETED", null);
		long reply = this.shop.message(waiting, "requester", "ERASURE_CONFIRMATION", "PENDING");

		// when: this version starts, then starts again
		RequestsAndMessages.schema(this.dataSource);
		RequestsAndMessages.schema(this.dataSource);

		// then
		assertThat(repliesOut(answered)).isOne();
		assertThat(repliesOut(givenUp)).isOne();
		assertThat(repliesOut(waiting)).isZero();
		this.shop.status(reply, "SENT");
		assertThat(repliesOut(waiting)).isOne();
	}

	private int repliesOut(long request) {
		return this.jdbc.sql("SELECT requester_replies_out FROM erasure_request WHERE id = ?")
			.param(request)
			.query(Integer.class)
			.single();
	}

}
