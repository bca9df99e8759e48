package io.github.batchpushgateway.example.gdpr;

import java.util.List;

import io.github.batchpushgateway.example.gdpr.Shop.Customer;
import io.github.batchpushgateway.example.gdpr.notification.Notification;
import io.github.batchpushgateway.example.gdpr.notification.SimulatedRecipientNotifier;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GDPR Art. 19 in the whole job, with the backoff off the job's thread: a notice to a
 * recipient whose endpoint fails transiently (the ad network fails twice per message, see
 * {@link ErasureJobTestSupport}) waits while the other notices go out, and is delivered in the
 * same run, once, after them; the outbox and audit show one delivered message and nothing
 * given up.
 */
class NotificationPassesTests extends ErasureJobTestSupport {

	@Autowired
	SimulatedRecipientNotifier recipients;

	@Test
	void noticeToAFlakyRecipientIsDeliveredOnceInTheSameRunAfterTheOtherNotices() throws Exception {
		// given: the first subject's data went to the ad network, the fourth's (erased in the next
		// chunk of three, so its notice is queued later) to the carrier
		Customer first = this.shop.customer();
		this.shop.disclosure(first, "ad-network");
		long firstRequest = this.shop.verifiedRequest(first);
		this.shop.verifiedRequest(this.shop.customer());
		this.shop.verifiedRequest(this.shop.customer());
		Customer second = this.shop.customer();
		this.shop.disclosure(second, "parcel-carrier");
		long secondRequest = this.shop.verifiedRequest(second);
		int processedBefore = this.recipients.processed().size();

		// when
		JobExecution execution = runJob();

		// then
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		long adNotice = this.shop.count(
				"SELECT id FROM notification_outbox WHERE request_id = ? AND recipient_key = 'ad-network'", firstRequest);
		long carrierNotice = this.shop.count(
				"SELECT id FROM notification_outbox WHERE request_id = ? AND recipient_key = 'parcel-carrier'",
				secondRequest);
		assertThat(adNotice).as("queued first").isLessThan(carrierNotice);
		List<Long> notices = this.recipients.processed()
			.subList(processedBefore, this.recipients.processed().size())
			.stream()
			.filter((processed) -> processed.message().equals("ERASURE_NOTICE"))
			.map(Notification::idempotencyKey)
			.toList();
		assertThat(notices).as("the flaky recipient's notice waited for its backoff while the carrier's went out")
			.containsExactly(carrierNotice, adNotice);
		assertThat(this.recipients.attempts(adNotice)).isEqualTo(3);
		assertThat(this.shop.row("notification_outbox", adNotice)).containsEntry("STATUS", "SENT")
			.containsEntry("ATTEMPTS", 3)
			.containsEntry("LAST_ERROR_CODE", null)
			.containsEntry("SUBJECT_REFERENCE", null)
			.containsEntry("GIVE_UP_REASON", null);
		assertThat(this.shop.count("SELECT COUNT(*) FROM notification_outbox WHERE status <> 'SENT'")).isZero();
		assertThat(this.shop.rows("SELECT * FROM erasure_audit WHERE action = 'NOT_NOTIFIED'")).isEmpty();
		// and the four requesters' confirmations, queued as the erase step verified their erasures
		assertThat(Executions.step(execution, "notifyRecipients").getWriteCount()).as("one outcome per message")
			.isEqualTo(2 + 4);
	}

}
