package io.github.batchpushgateway.example.gdpr.notification;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.batchpushgateway.micrometer.BatchMeters;
import io.micrometer.core.instrument.Counter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * Delivers queued notifications. Each delivery is retried with exponential backoff while its
 * endpoint fails transiently; a delivered message is marked {@code SENT} and its subject
 * reference cleared (it is no longer needed); one whose retries ran out stays {@code PENDING}
 * with its attempts and error code, for the next run (and the
 * {@code gdpr_erasure_recipient_notifications_pending} alert). The outbox id travels as the
 * idempotency key, so a message delivered again after a crash has no second effect.
 *
 * <p>Counts what this run did through the starter's {@link BatchMeters}, in the job's group:
 * {@code gdpr_erasure_recipient_notifications_delivered_total} and
 * {@code ..._deferred_total} (retries ran out, stays queued), by {@code recipient}. What is
 * still waiting is state in the database, which {@code GdprMetricsContributor} reads.
 *
 * <p>Any other failure, of the notifier or of the outbox updates, fails the step as a
 * {@link NotificationDeliveryException} carrying the outbox id and an error code, never the
 * original exception, whose message can quote the subject's reference.
 */
public class NotificationDispatchWriter implements ItemWriter<OutboxMessage> {

	private static final Log logger = LogFactory.getLog(NotificationDispatchWriter.class);

	private final RecipientNotifier notifier;

	private final RetryTemplate retryTemplate;

	private final JdbcClient jdbc;

	private final Clock clock;

	private final BatchMeters meters;

	public NotificationDispatchWriter(RecipientNotifier notifier, RetryPolicy retryPolicy, JdbcClient jdbc,
			Clock clock, BatchMeters meters) {
		Assert.notNull(notifier, "'notifier' must not be null");
		Assert.notNull(retryPolicy, "'retryPolicy' must not be null");
		Assert.notNull(jdbc, "'jdbc' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		Assert.notNull(meters, "'meters' must not be null");
		this.notifier = notifier;
		this.retryTemplate = new RetryTemplate(retryPolicy);
		this.jdbc = jdbc;
		this.clock = clock;
		this.meters = meters;
	}

	@Override
	public void write(Chunk<? extends OutboxMessage> messages) {
		for (OutboxMessage message : messages) {
			deliver(message);
		}
	}

	private void deliver(OutboxMessage message) {
		try {
			attemptDelivery(message);
		}
		catch (DataAccessException ex) {
			// the outbox updates: the database's message can quote the row
			throw NotificationDeliveryException.ofDatabase(message.id(), ex);
		}
	}

	private void attemptDelivery(OutboxMessage message) {
		AtomicInteger attempts = new AtomicInteger();
		try {
			this.retryTemplate.execute(() -> {
				attempts.incrementAndGet();
				this.notifier.deliver(message.toNotification());
				return null;
			});
			this.jdbc.sql("""
					UPDATE notification_outbox SET status = 'SENT', sent_at = ?, subject_reference = NULL,
						attempts = attempts + ?, last_error_code = NULL
					WHERE id = ? AND status = 'PENDING'""")
				.params(LocalDateTime.now(this.clock), attempts.get(), message.id())
				.update();
			count("gdpr.erasure.recipient.notifications.delivered", "Notifications delivered by this run.", message);
		}
		catch (RetryException ex) {
			if (!(ex.getCause() instanceof TransientDeliveryException transientFailure)) {
				// a recipient's exception can echo the subject's reference: keep its class only
				throw NotificationDeliveryException.ofDelivery(message.id(), ex.getCause());
			}
			this.jdbc.sql("""
					UPDATE notification_outbox SET attempts = attempts + ?, last_error_code = ?
					WHERE id = ? AND status = 'PENDING'""")
				.params(attempts.get(), NotificationDeliveryException.fit(transientFailure.getErrorCode()), message.id())
				.update();
			logger.warn(message + " not delivered after " + attempts.get() + " attempts ("
					+ transientFailure.getErrorCode() + "): stays queued for the next run");
			count("gdpr.erasure.recipient.notifications.deferred",
					"Notifications this run could not deliver within its retries; they stay queued.", message);
		}
	}

	private void count(String name, String description, OutboxMessage message) {
		// recipient keys are a few configured codes: a bounded label
		Counter.builder(name)
			.description(description)
			.tag("recipient", message.recipientKey())
			.register(this.meters.registry())
			.increment();
	}

}
