package io.github.batchpushgateway.example.gdpr.erasure;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * Queues messages in the transactional outbox ({@code notification_outbox}), in the same
 * transaction as the decision they report, so a message exists exactly when its decision was
 * committed. At most one message per request, recipient, kind and reference: queueing again is
 * a no-op.
 */
public class NotificationQueue {

	/**
	 * Recipient key of replies to the requester.
	 */
	public static final String REQUESTER = "requester";

	private final JdbcClient jdbc;

	private final Clock clock;

	public NotificationQueue(JdbcClient jdbc, Clock clock) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Queues a message to the requester unless the same one is already queued or sent.
	 * @param requestId the request the message is about
	 * @param recipientKey {@link #REQUESTER}
	 * @param message the kind of message
	 * @param endpoint where it goes
	 * @param subjectReference the requester's address
	 * @return whether a message was queued
	 */
	public boolean queue(long requestId, String recipientKey, MessageKind message, String endpoint,
			String subjectReference) {
		return queue(requestId, recipientKey, message, endpoint, subjectReference, 0);
	}

	/**
	 * Queues a message unless the same one is already queued or sent.
	 * @param requestId the request the message is about
	 * @param recipientKey a recipient's code, or {@link #REQUESTER}
	 * @param message the kind of message
	 * @param endpoint where it goes
	 * @param subjectReference how the receiving side knows the subject
	 * @param referenceKey which of the recipient's references for the subject this message
	 * is about, as a number that is not personal data and outlives the reference (the first
	 * disclosure's id); {@code 0} when there is only one
	 * @return whether a message was queued
	 */
	public boolean queue(long requestId, String recipientKey, MessageKind message, String endpoint,
			String subjectReference, long referenceKey) {
		return this.jdbc.sql("""
				INSERT INTO notification_outbox
					(request_id, recipient_key, message, endpoint, subject_reference, reference_key, status, attempts,
					created_at)
				SELECT :request, :recipient, :message, :endpoint, :reference, :referenceKey, 'PENDING', 0, :now
				WHERE NOT EXISTS (SELECT 1 FROM notification_outbox
					WHERE request_id = :request AND recipient_key = :recipient AND message = :message
					AND reference_key = :referenceKey)""")
			.param("request", requestId)
			.param("recipient", recipientKey)
			.param("message", message.name())
			.param("endpoint", endpoint)
			.param("reference", subjectReference)
			.param("referenceKey", referenceKey)
			.param("now", LocalDateTime.now(this.clock))
			.update() > 0;
	}

	/**
	 * Queues messages about several requests, each unless the same one is already queued or
	 * sent: one query reads what the requests have queued, one statement inserts the rest.
	 * @param messages the messages
	 * @return how many were queued
	 */
	public int queueAll(List<Message> messages) {
		if (messages.isEmpty()) {
			return 0;
		}
		Set<List<Object>> queued = new HashSet<>(this.jdbc.sql("""
				SELECT request_id, recipient_key, message, reference_key FROM notification_outbox
				WHERE request_id IN (:requests)""")
			.param("requests", messages.stream().map(Message::requestId).distinct().toList())
			.query((rs, rowNum) -> List.<Object>of(rs.getLong("request_id"), rs.getString("recipient_key"),
					rs.getString("message"), rs.getLong("reference_key")))
			.list());
		List<Object> values = new ArrayList<>();
		LocalDateTime now = LocalDateTime.now(this.clock);
		for (Message message : messages) {
			if (queued.add(List.of(message.requestId(), message.recipientKey(), message.kind().name(),
					message.referenceKey()))) {
				values.addAll(List.of(message.requestId(), message.recipientKey(), message.kind().name(),
						message.endpoint(), message.subjectReference(), message.referenceKey(), now));
			}
		}
		int rows = values.size() / 7;
		if (rows == 0) {
			return 0;
		}
		return this.jdbc.sql("""
				INSERT INTO notification_outbox
					(request_id, recipient_key, message, endpoint, subject_reference, reference_key, status, attempts,
					created_at)
				VALUES """ + String.join(", ", Collections.nCopies(rows, "(?, ?, ?, ?, ?, ?, 'PENDING', 0, ?)")))
			.params(values)
			.update();
	}

	/**
	 * A message to queue.
	 *
	 * @param requestId the request the message is about
	 * @param recipientKey a recipient's code, or {@link #REQUESTER}
	 * @param kind the kind of message
	 * @param endpoint where it goes
	 * @param subjectReference how the receiving side knows the subject
	 * @param referenceKey which of the recipient's references for the subject this message is
	 * about (see {@link NotificationQueue#queue(long, String, MessageKind, String, String, long)})
	 */
	public record Message(long requestId, String recipientKey, MessageKind kind, String endpoint,
			String subjectReference, long referenceKey) {

		@Override
		public String toString() {
			return "Message[" + this.requestId + ", " + this.recipientKey + ", " + this.kind + "]"; // never the reference
		}

	}

	/**
	 * Kinds of messages.
	 */
	public enum MessageKind {

		/**
		 * To a recipient the data was disclosed to: erase it too (GDPR Art. 19).
		 */
		ERASURE_NOTICE,

		/**
		 * To the requester: the data was erased (Art. 12(3)).
		 */
		ERASURE_CONFIRMATION,

		/**
		 * To the requester: erasure refused, with reasons (Art. 12(4)).
		 */
		REFUSAL,

		/**
		 * To the requester: erasure deferred by a legal hold, with reasons (Art. 12(4),
		 * 17(3)(e)).
		 */
		HOLD_NOTICE,

		/**
		 * To the requester: marketing consents erased and the address suppressed at once
		 * (Art. 7(3), 21(3)); the rest kept while a contract is performed, erased once it
		 * ends (Art. 12(4), 6(1)(b)).
		 */
		PARTIAL_REFUSAL,

		/**
		 * To the requester: the shop holds no data under the identifiers given, so there
		 * was nothing to erase (Art. 12(3)).
		 */
		NO_DATA_NOTICE;

	}

}
