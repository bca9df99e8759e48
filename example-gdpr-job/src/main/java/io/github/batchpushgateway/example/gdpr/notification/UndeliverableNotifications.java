package io.github.batchpushgateway.example.gdpr.notification;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;

import io.github.batchpushgateway.example.gdpr.erasure.AuditAction;
import io.github.batchpushgateway.example.gdpr.erasure.ErasureAudit;
import io.github.batchpushgateway.example.gdpr.erasure.NotificationQueue;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * Ends GDPR Art. 19 where the law ends it: a message that could not be delivered within
 * {@code gdpr.notifications.give-up-after-attempts} attempts (over all runs) or
 * {@code gdpr.notifications.give-up-after} since it was queued is given up, not retried for
 * ever. It becomes {@code UNDELIVERABLE} with its reason ({@code DISPROPORTIONATE_EFFORT} for a
 * recipient, {@code UNDELIVERABLE} for a reply to the requester), the reference it held for
 * the subject is removed, an audit row records it, and it counts in
 * {@code gdpr_erasure_notifications_undeliverable} until the data-protection officer
 * acknowledges it ({@code acknowledged_at}), having decided what else to do (another channel,
 * a record of the effort, telling the subject on request).
 */
public final class UndeliverableNotifications {

	private static final Log logger = LogFactory.getLog(UndeliverableNotifications.class);

	private final JdbcClient jdbc;

	private final ErasureAudit audit;

	private final int maxAttempts;

	private final Duration maxAge;

	private final Clock clock;

	public UndeliverableNotifications(JdbcClient jdbc, ErasureAudit audit, int maxAttempts, Duration maxAge,
			Clock clock) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		Assert.notNull(audit, "'audit' must not be null");
		Assert.isTrue(maxAttempts > 0, "'maxAttempts' must be positive");
		Assert.notNull(maxAge, "'maxAge' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.jdbc = jdbc;
		this.audit = audit;
		this.maxAttempts = maxAttempts;
		this.maxAge = maxAge;
		this.clock = clock;
	}

	/**
	 * Gives a message up if its attempts or its time are used up. Call it after a failed
	 * delivery has been counted.
	 * @param outboxId the message
	 * @param jobExecutionId the job execution, for the audit row
	 * @return whether it was given up
	 */
	public boolean giveUpIfExhausted(long outboxId, long jobExecutionId) {
		LocalDateTime now = LocalDateTime.now(this.clock);
		Pending pending = this.jdbc
			.sql("SELECT request_id, recipient_key, attempts, created_at FROM notification_outbox WHERE id = ? AND status = 'PENDING'")
			.param(outboxId)
			.query((rs, rowNum) -> new Pending(rs.getLong("request_id"), rs.getString("recipient_key"),
					rs.getInt("attempts"), rs.getObject("created_at", LocalDateTime.class)))
			.optional()
			.orElse(null);
		if (pending == null
				|| (pending.attempts() < this.maxAttempts && !pending.queuedAt().plus(this.maxAge).isBefore(now))) {
			return false;
		}
		boolean toRequester = NotificationQueue.REQUESTER.equals(pending.recipientKey());
		String reason = toRequester ? "UNDELIVERABLE" : "DISPROPORTIONATE_EFFORT";
		int updated = this.jdbc.sql("""
				UPDATE notification_outbox SET status = 'UNDELIVERABLE', give_up_reason = ?, gave_up_at = ?,
					subject_reference = NULL
				WHERE id = ? AND status = 'PENDING'""").params(reason, now, outboxId).update();
		this.audit.record(pending.requestId(), "notification_outbox", AuditAction.NOT_NOTIFIED, updated,
				toRequester ? ErasureAudit.REPLY_GIVEN_UP : ErasureAudit.NOTIFICATION_GIVEN_UP, jobExecutionId);
		logger.warn("Outbox message " + outboxId + " to " + pending.recipientKey() + " given up after "
				+ pending.attempts() + " attempts since " + pending.queuedAt() + " (" + reason
				+ "): its reference is removed; the data-protection officer must acknowledge it");
		return updated == 1;
	}

	private record Pending(long requestId, String recipientKey, int attempts, LocalDateTime queuedAt) {
	}

}
