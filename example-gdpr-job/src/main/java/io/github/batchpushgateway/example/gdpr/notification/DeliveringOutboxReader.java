package io.github.batchpushgateway.example.gdpr.notification;

import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemReader;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.util.Assert;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Delivers the queued messages it reads and hands on what became of each: one
 * {@link Delivery} per message, however many attempts it took, for
 * {@link NotificationDispatchWriter} to record. A message whose endpoint fails transiently is
 * not retried on the spot: it waits, in memory, for its backoff while the other messages are
 * delivered, and is tried again in a later pass once the queue has been read through, until it
 * goes through or the retries the policy allows per run are used up. The step therefore sleeps
 * only when nothing else is left to do and a backoff has not passed yet, not once per failed
 * message: a flaky recipient's backoff used to be most of the step's time.
 *
 * <p>A message waiting for its retry has changed nothing in the database, so a chunk rolled
 * back or a process that dies leaves it {@code PENDING} as it was, for the next run; its
 * attempts are counted when its outcome is written. Deliveries happen as messages are read,
 * inside the chunk's transaction: one delivered whose chunk then fails is delivered again
 * later under the same idempotency key, which the recipient takes as the same message.
 */
public class DeliveringOutboxReader implements ItemStreamReader<Delivery> {

	private final ItemReader<OutboxMessage> outbox;

	private final RecipientNotifier notifier;

	private final RetryPolicy retryPolicy;

	/** Messages waiting for their next attempt, the one due first at the head. */
	private final PriorityQueue<Waiting> waiting = new PriorityQueue<>();

	private long sequence;

	/**
	 * Creates a reader.
	 * @param outbox reads the queued messages
	 * @param notifier delivers them
	 * @param retryPolicy which failures are retried, how often per run and with what
	 * backoff
	 */
	public DeliveringOutboxReader(ItemReader<OutboxMessage> outbox, RecipientNotifier notifier,
			RetryPolicy retryPolicy) {
		Assert.notNull(outbox, "'outbox' must not be null");
		Assert.notNull(notifier, "'notifier' must not be null");
		Assert.notNull(retryPolicy, "'retryPolicy' must not be null");
		this.outbox = outbox;
		this.notifier = notifier;
		this.retryPolicy = retryPolicy;
	}

	@Override
	public void open(ExecutionContext executionContext) {
		// the step is a singleton run again by every job execution of this process
		this.waiting.clear();
		if (this.outbox instanceof ItemStream stream) {
			stream.open(executionContext);
		}
	}

	@Override
	public void update(ExecutionContext executionContext) {
		if (this.outbox instanceof ItemStream stream) {
			stream.update(executionContext);
		}
	}

	@Override
	public void close() {
		this.waiting.clear();
		if (this.outbox instanceof ItemStream stream) {
			stream.close();
		}
	}

	@Override
	public @Nullable Delivery read() throws Exception {
		for (OutboxMessage message = this.outbox.read(); message != null; message = this.outbox.read()) {
			Delivery delivery = attempt(new Waiting(message, this.retryPolicy.getBackOff().start()));
			if (delivery != null) {
				return delivery;
			}
		}
		// the queue is read through: the messages whose endpoints failed, each once its backoff passed
		for (Waiting next = this.waiting.poll(); next != null; next = this.waiting.poll()) {
			long wait = next.dueNanos - System.nanoTime();
			if (wait > 0) {
				TimeUnit.NANOSECONDS.sleep(wait);
			}
			Delivery delivery = attempt(next);
			if (delivery != null) {
				return delivery;
			}
		}
		return null;
	}

	/**
	 * Attempts a delivery once.
	 * @return what became of the message, or {@code null} when it waits for another attempt
	 */
	private @Nullable Delivery attempt(Waiting message) {
		message.attempts++;
		try {
			this.notifier.deliver(message.message.toNotification());
			return new Delivery(message.message, message.attempts, null);
		}
		catch (RuntimeException ex) {
			if (!(ex instanceof TransientDeliveryException transientFailure) || !this.retryPolicy.shouldRetry(ex)) {
				// a recipient's exception can echo the subject's reference: keep its class only
				throw NotificationDeliveryException.ofDelivery(message.message.id(), ex);
			}
			long backOff = message.backOff.nextBackOff();
			if (backOff == BackOffExecution.STOP) {
				return new Delivery(message.message, message.attempts, transientFailure.getErrorCode());
			}
			message.dueNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backOff);
			message.sequence = this.sequence++;
			this.waiting.add(message);
			return null;
		}
	}

	/**
	 * A message and this run's attempts at it; ordered by when its next attempt is due, then
	 * by when it started waiting.
	 */
	private static final class Waiting implements Comparable<Waiting> {

		private final OutboxMessage message;

		private final BackOffExecution backOff;

		private int attempts;

		private long dueNanos;

		private long sequence;

		Waiting(OutboxMessage message, BackOffExecution backOff) {
			this.message = message;
			this.backOff = backOff;
		}

		@Override
		public int compareTo(Waiting other) {
			int due = Long.compare(this.dueNanos - other.dueNanos, 0);
			return (due != 0) ? due : Long.compare(this.sequence, other.sequence);
		}

	}

}
