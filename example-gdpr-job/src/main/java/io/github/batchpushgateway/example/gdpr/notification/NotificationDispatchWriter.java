package io.github.batchpushgateway.example.gdpr.notification;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * Records what became of queued notifications, as {@link DeliveringOutboxReader} delivered
 * them: a delivered message is marked {@code SENT} and its subject reference cleared (it is no
 * longer needed); one whose retries in this run ran out stays {@code PENDING} with its attempts
 * and error code, for the next run (and the {@code gdpr_erasure_recipient_notifications_pending}
 * alert), until its attempts or time are used up and {@link UndeliverableNotifications} gives
 * it up. The outbox id travels as the idempotency key, so a message delivered again after a
 * crash has no second effect.
 *
 * <p>What this execution did with each message is counted through the starter's
 * {@link BatchMeters}, once its chunk commits (so the counts agree with the outbox):
 * {@code gdpr_erasure_recipient_notifications_total} by {@code recipient} (a recipient
 * system's configured code, or {@code requester}: never a person) and {@code outcome}
 * ({@code delivered}, {@code deferred}, {@code given_up}). What is still waiting is state in
 * the database, which {@code GdprMetricsContributor} reads at every push.
 *
 * <p>A failure of the outbox updates fails the step as a
 * {@link NotificationDeliveryException} carrying the outbox id and an error code, never the
 * original exception, whose message can quote the subject's reference (the reader does the
 * same with a notifier's failure that is not transient).
 */
public class NotificationDispatchWriter
		implements ItemWriter<Delivery>, StepExecutionListener, ChunkListener<Delivery, Delivery> {

	static final String NOTIFICATIONS_METER = "gdpr.erasure.recipient.notifications";


	private static final Log logger = LogFactory.getLog(NotificationDispatchWriter.class);

	private final JdbcClient jdbc;

	private final Clock clock;

	private final UndeliverableNotifications undeliverable;

	private final BatchMeters meters;

	/** Outcomes of the chunk being written, counted when it commits. */
	private final List<Handled> uncommitted = new ArrayList<>();

	private long jobExecutionId;

	public NotificationDispatchWriter(JdbcClient jdbc, Clock clock, UndeliverableNotifications undeliverable,
			BatchMeters meters) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		Assert.notNull(undeliverable, "'undeliverable' must not be null");
		Assert.notNull(meters, "'meters' must not be null");
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
	public void write(Chunk<? extends Delivery> deliveries) {
		this.uncommitted.clear();
		for (Delivery delivery : deliveries) {
			try {
				record(delivery);
			}
			catch (DataAccessException ex) {
				// the outbox updates: the database's message can quote the row
				throw NotificationDeliveryException.ofDatabase(delivery.message().id(), ex);
			}
		}
	}

	private void record(Delivery delivery) {
		OutboxMessage message = delivery.message();
		if (delivery.delivered()) {
			this.jdbc.sql("""
					UPDATE notification_outbox SET status = 'SENT', sent_at = ?, subject_reference = NULL,
						attempts = attempts + ?, last_error_code = NULL
					WHERE id = ? AND status = 'PENDING'""")
				.params(LocalDateTime.now(this.clock), delivery.attempts(), message.id())
				.update();
			this.uncommitted.add(new Handled(message.recipientKey(), Outcome.DELIVERED));
			return;
		}
		this.jdbc.sql("""
				UPDATE notification_outbox SET attempts = attempts + ?, last_error_code = ?
				WHERE id = ? AND status = 'PENDING'""")
			.params(delivery.attempts(), NotificationDeliveryException.fit(delivery.errorCode()), message.id())
			.update();
		if (this.undeliverable.giveUpIfExhausted(message.id(), this.jobExecutionId)) {
			this.uncommitted.add(new Handled(message.recipientKey(), Outcome.GIVEN_UP));
		}
		else {
			logger.warn(message + " not delivered after " + delivery.attempts() + " attempts ("
					+ delivery.errorCode() + "): stays queued for the next run");
			this.uncommitted.add(new Handled(message.recipientKey(), Outcome.DEFERRED));
		}
	}

	@Override
	public void beforeChunk(Chunk<Delivery> chunk) {
		this.uncommitted.clear();
	}

	@Override
	public void afterChunk(Chunk<Delivery> chunk) {
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
	public void onChunkError(Exception exception, Chunk<Delivery> chunk) {
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
