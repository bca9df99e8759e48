package io.github.batchpushgateway.example.gdpr.notification;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.batchpushgateway.micrometer.BatchMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
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
 * {@code gdpr_erasure_recipient_notifications_pending} alert), until its attempts or time are
 * used up and {@link UndeliverableNotifications} gives it up. The outbox id travels as the
 * idempotency key, so a message delivered again after a crash has no second effect.
 *
 * <p>What this execution did with each message is counted through the starter's
 * {@link BatchMeters}, once its chunk commits (so the counts agree with the outbox):
 * {@code gdpr_erasure_recipient_notifications_total} by {@code recipient} (a recipient
 * system's configured code, or {@code requester}: never a person) and {@code outcome}
 * ({@code delivered}, {@code deferred}, {@code given_up}). What is still waiting is state in
 * the database, which {@code GdprMetricsContributor} reads at every push.
 *
 * <p>Any other failure, of the notifier or of the outbox updates, fails the step as a
 * {@link NotificationDeliveryException} carrying the outbox id and an error code, never the
 * original exception, whose message can quote the subject's reference.
 */
public class NotificationDispatchWriter
		implements ItemWriter<OutboxMessage>, StepExecutionListener, ChunkListener<OutboxMessage, OutboxMessage> {

	static final String NOTIFICATIONS_METER = "gdpr.erasure.recipient.notifications";


	private static final Log logger = LogFactory.getLog(NotificationDispatchWriter.class);

	private final RecipientNotifier notifier;

	private final RetryTemplate retryTemplate;

	private final JdbcClient jdbc;

	private final Clock clock;

	private final UndeliverableNotifications undeliverable;

	private final BatchMeters meters;

	/** Outcomes of the chunk being written, counted when it commits. */
	private final List<Handled> uncommitted = new ArrayList<>();

	private long jobExecutionId;

	public NotificationDispatchWriter(RecipientNotifier notifier, RetryPolicy retryPolicy, JdbcClient jdbc,
			Clock clock, UndeliverableNotifications undeliverable, BatchMeters meters) {
		Assert.notNull(notifier, "'notifier' must not be null");
		Assert.notNull(retryPolicy, "'retryPolicy' must not be null");
		Assert.notNull(jdbc, "'jdbc' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		Assert.notNull(undeliverable, "'undeliverable' must not be null");
		Assert.notNull(meters, "'meters' must not be null");
		this.notifier = notifier;
		this.retryTemplate = new RetryTemplate(retryPolicy);
		this.jdbc = jdbc;
		this.clock = clock;
		this.undeliverable = undeliverable;
		this.meters = meters;
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.jobExecutionId = stepExecution.getJobExecutionId();
	}

	@Override
	public void write(Chunk<? extends OutboxMessage> messages) {
		this.uncommitted.clear();
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
			this.uncommitted.add(new Handled(message.recipientKey(), Outcome.DELIVERED));
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
			if (this.undeliverable.giveUpIfExhausted(message.id(), this.jobExecutionId)) {
				this.uncommitted.add(new Handled(message.recipientKey(), Outcome.GIVEN_UP));
			}
			else {
				logger.warn(message + " not delivered after " + attempts.get() + " attempts ("
						+ transientFailure.getErrorCode() + "): stays queued for the next run");
				this.uncommitted.add(new Handled(message.recipientKey(), Outcome.DEFERRED));
			}
		}
	}

	@Override
	public void beforeChunk(Chunk<OutboxMessage> chunk) {
		this.uncommitted.clear();
	}

	@Override
	public void afterChunk(Chunk<OutboxMessage> chunk) {
		// runs inside the chunk's transaction, once every outbox update of the chunk succeeded
		MeterRegistry registry = this.meters.registry();
		for (Handled handled : this.uncommitted) {
			Counter.builder(NOTIFICATIONS_METER)
				.description("Notifications this execution delivered, deferred to a later run after a transient "
						+ "failure, or gave up (GDPR Art. 19), by recipient system and outcome.")
				.tag("recipient", handled.recipientKey())
				.tag("outcome", handled.outcome().name().toLowerCase(Locale.ROOT))
				.register(registry)
				.increment();
		}
		this.uncommitted.clear();
	}

	@Override
	public void onChunkError(Exception exception, Chunk<OutboxMessage> chunk) {
		// the chunk's outbox updates are rolled back: what it did is done again by a later run
		this.uncommitted.clear();
	}

	private enum Outcome {

		DELIVERED, DEFERRED, GIVEN_UP

	}

	/**
	 * What became of one message. Only its recipient's code is kept: a bounded tag value, no
	 * personal data.
	 */
	private record Handled(String recipientKey, Outcome outcome) {
	}

}
