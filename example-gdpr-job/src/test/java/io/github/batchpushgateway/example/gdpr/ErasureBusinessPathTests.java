package io.github.batchpushgateway.example.gdpr;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.github.batchpushgateway.example.gdpr.Shop.Customer;
import io.github.batchpushgateway.example.gdpr.erasure.AuditAction;
import io.github.batchpushgateway.example.gdpr.erasure.ErasureAudit;
import io.github.batchpushgateway.example.gdpr.notification.SimulatedRecipientNotifier;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Each path a request can take through the job, checked row by row in the database.
 */
class ErasureBusinessPathTests extends ErasureJobTestSupport {

	@Autowired
	SimulatedRecipientNotifier recipients;

	@Autowired
	ErasureAudit audit;

	@Test
	void verifiedSubjectIsErasedExceptWhatTheLawRequiresKeeping() throws Exception {
		// given
		Customer zelda = this.shop.customer();
		long invoice = this.shop.deliveredOrder(zelda, this.shop.today().plusYears(9));
		this.shop.disclosure(zelda, "payment-provider");
		this.shop.disclosure(zelda, "parcel-carrier");
		long request = this.shop.verifiedRequest(zelda);

		// when
		JobExecution execution = runJob();

		// then
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(execution.getExitStatus().getExitCode()).isEqualTo("COMPLETED");
		for (String table : List.of("address", "marketing_consent", "subject_disclosure")) {
			assertThat(this.shop.count("SELECT COUNT(*) FROM " + table + " WHERE customer_id = ?", zelda.id()))
				.as(table)
				.isZero();
		}
		assertThat(this.shop.count("SELECT COUNT(*) FROM customer WHERE id = ?", zelda.id())).isZero();
		Map<String, Object> order = this.shop.rows("SELECT * FROM orders WHERE invoice_id = ?", invoice).get(0);
		assertThat(order).containsEntry("CUSTOMER_ID", null)
			.containsEntry("SHIPPING_NAME", null)
			.containsEntry("SHIPPING_STREET", null)
			.containsEntry("CONTACT_EMAIL", null)
			.containsEntry("CONTACT_PHONE", null)
			.containsEntry("NOTES", null)
			.containsEntry("TOTAL_CENTS", 4990L)
			.containsEntry("SHIPPING_COUNTRY", "DE");
		assertThat(order.get("MINIMIZED_AT")).isNotNull();
		Map<String, Object> keptInvoice = this.shop.row("invoice", invoice);
		assertThat(keptInvoice).containsEntry("RESTRICTED", true)
			.containsEntry("BILLING_NAME", zelda.name())
			.containsEntry("RESTRICTED_BY_REQUEST", request);
		assertThat(this.shop.rows("SELECT email_hmac FROM suppression_entry"))
			.containsExactly(Map.of("EMAIL_HMAC", hmacSha256(HMAC_KEY, zelda.email())));
		assertThat(this.shop.rows(
				"SELECT recipient_key, message, status, subject_reference FROM notification_outbox WHERE request_id = ? ORDER BY recipient_key",
				request))
			.extracting((row) -> tuple(row.get("RECIPIENT_KEY"), row.get("MESSAGE"), row.get("STATUS"),
					row.get("SUBJECT_REFERENCE")))
			.containsExactly(tuple("parcel-carrier", "ERASURE_NOTICE", "SENT", null),
					tuple("payment-provider", "ERASURE_NOTICE", "SENT", null),
					tuple("requester", "ERASURE_CONFIRMATION", "SENT", null));
		assertThat(this.shop.rows(
				"SELECT table_name, action, row_count, job_execution_id FROM erasure_audit WHERE request_id = ? ORDER BY id",
				request))
			.extracting((row) -> tuple(row.get("TABLE_NAME"), row.get("ACTION"), row.get("ROW_COUNT"),
					row.get("JOB_EXECUTION_ID")))
			.containsExactly(tuple("invoice", "RESTRICTED", 1, execution.getId()),
					tuple("orders", "MINIMIZED", 1, execution.getId()),
					tuple("marketing_consent", "DELETED", 1, execution.getId()),
					tuple("address", "DELETED", 1, execution.getId()),
					tuple("subject_disclosure", "DELETED", 2, execution.getId()),
					tuple("legal_hold", "DELETED", 0, execution.getId()),
					tuple("customer", "DELETED", 1, execution.getId()),
					tuple("suppression_entry", "SUPPRESSED", 1, execution.getId()),
					tuple("erasure_request", "MINIMIZED", 1, execution.getId()));
		Map<String, Object> erasure = this.shop.row("erasure_request", request);
		assertThat(erasure).containsEntry("STATUS", "COMPLETED")
			.containsEntry("REQUESTER_EMAIL", null)
			.containsEntry("ATTEMPTS", 1)
			.containsEntry("DUE_ON", this.shop.today().minusDays(7).plusMonths(1));
		assertThat(erasure.get("COMPLETED_AT")).isNotNull();
		assertThat(erasure.get("VERIFIED_AT")).isNotNull();
		// verified in the chunk that erased it, while its pages were cached: none left for verifyErasure
		assertThat(Executions.step(execution, "verifyErasure").getReadCount()).isZero();
	}

	@Test
	void activeLegalHoldPutsTheRequestOnHoldKeepsTheDataAndStopsMarketing() throws Exception {
		// given
		Customer held = this.shop.customer();
		this.shop.legalHold(held, null);
		this.shop.disclosure(held, "payment-provider");
		long request = this.shop.verifiedRequest(held);

		// when
		JobExecution execution = runJob();

		// then
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.shop.row("erasure_request", request)).containsEntry("STATUS", "ON_HOLD")
			.containsEntry("REASON_CODE", "LEGAL_HOLD")
			.containsEntry("REQUESTER_EMAIL", held.email());
		assertThat(this.shop.count("SELECT COUNT(*) FROM customer WHERE id = ?", held.id())).isOne();
		assertThat(this.shop.count("SELECT COUNT(*) FROM address WHERE customer_id = ?", held.id())).isOne();
		assertThat(this.shop.count("SELECT COUNT(*) FROM subject_disclosure WHERE customer_id = ?", held.id())).isOne();
		assertThat(this.shop.count("SELECT COUNT(*) FROM marketing_consent WHERE customer_id = ?", held.id())).isOne();
		assertThat(this.shop.rows("SELECT table_name, action, row_count FROM erasure_audit"))
			.containsExactly(Map.of("TABLE_NAME", "suppression_entry", "ACTION", "SUPPRESSED", "ROW_COUNT", 1));
		assertThat(this.shop.rows("SELECT recipient_key, message, status FROM notification_outbox WHERE request_id = ?",
				request))
			.containsExactly(Map.of("RECIPIENT_KEY", "requester", "MESSAGE", "HOLD_NOTICE", "STATUS", "SENT"));
	}

	@Test
	void releasedLegalHoldNoLongerBlocksTheErasure() throws Exception {
		// given
		Customer released = this.shop.customer();
		this.shop.legalHold(released, this.shop.today().minusDays(1));
		long request = this.shop.verifiedRequest(released);

		// when
		runJob();

		// then
		assertThat(this.shop.row("erasure_request", request)).containsEntry("STATUS", "COMPLETED");
		assertThat(this.shop.count("SELECT COUNT(*) FROM legal_hold WHERE customer_id = ?", released.id())).isZero();
		assertThat(this.shop.count(
				"SELECT COUNT(*) FROM erasure_audit WHERE request_id = ? AND table_name = 'legal_hold' AND action = 'DELETED'",
				request))
			.isOne();
	}

	@Test
	void openContractDefersTheErasureWithAReasonCodeAndKeepsTheRequesterAddressForTheLaterConfirmation()
			throws Exception {
		// given
		Customer buyer = this.shop.customer();
		long order = this.shop.openOrder(buyer);
		long request = this.shop.verifiedRequest(buyer);

		// when
		JobExecution execution = runJob();

		// then
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.shop.row("erasure_request", request)).containsEntry("STATUS", "REJECTED")
			.containsEntry("REASON_CODE", "OPEN_CONTRACT")
			// not final: the requester is told "erased" once the contract ends
			.containsEntry("REQUESTER_EMAIL", buyer.email());
		assertThat(this.shop.row("orders", order)).containsEntry("CUSTOMER_ID", buyer.id())
			.containsEntry("CONTACT_EMAIL", buyer.email());
		assertThat(this.shop.count("SELECT COUNT(*) FROM customer WHERE id = ?", buyer.id())).isOne();
		assertThat(this.shop.rows("SELECT recipient_key, message, status FROM notification_outbox WHERE request_id = ?",
				request))
			.containsExactly(Map.of("RECIPIENT_KEY", "requester", "MESSAGE", "PARTIAL_REFUSAL", "STATUS", "SENT"));
		assertThat(this.shop.rows("SELECT table_name, action FROM erasure_audit WHERE request_id = ? ORDER BY id", request))
			.containsExactly(Map.of("TABLE_NAME", "marketing_consent", "ACTION", "DELETED"),
					Map.of("TABLE_NAME", "suppression_entry", "ACTION", "SUPPRESSED"));
	}

	@Test
	void invoiceIsRestrictedAtErasureAndDeletedWhenItsRetentionEnds() throws Exception {
		// given
		Customer customer = this.shop.customer();
		long invoice = this.shop.deliveredOrder(customer, this.shop.today().plusDays(30));
		long request = this.shop.verifiedRequest(customer);
		runJob();
		assertThat(this.shop.row("invoice", invoice)).containsEntry("RESTRICTED", true);

		// when the retention period has ended
		this.jdbc.sql("UPDATE invoice SET retain_until = ? WHERE id = ?")
			.params(this.shop.today().minusDays(1), invoice)
			.update();
		JobExecution sweep = runJob();

		// then
		assertThat(this.shop.count("SELECT COUNT(*) FROM invoice WHERE id = ?", invoice)).isZero();
		assertThat(this.shop.count("SELECT COUNT(*) FROM orders WHERE invoice_id IS NULL AND minimized_at IS NOT NULL"))
			.isOne();
		assertThat(this.shop.rows(
				"SELECT request_id, row_count, basis FROM erasure_audit WHERE table_name = 'invoice' AND action = 'DELETED' AND job_execution_id = ?",
				sweep.getId()))
			.containsExactly(Map.of("REQUEST_ID", request, "ROW_COUNT", 1, "BASIS", "GDPR Art. 5(1)(e)"));
	}

	@Test
	void invoiceWithoutRetentionDateGetsTheConfiguredRule() throws Exception {
		// given
		Customer customer = this.shop.customer();
		long invoice = this.shop.deliveredOrder(customer, null);
		this.shop.verifiedRequest(customer);

		// when
		runJob();

		// then: eight years from the end of the year it was issued in (gdpr.retention.invoice-period)
		int issuedIn = this.shop.today().minusYears(1).getYear();
		assertThat(this.shop.row("invoice", invoice)).containsEntry("RESTRICTED", true)
			.containsEntry("RETAIN_UNTIL", LocalDate.of(issuedIn + 8, 12, 31));
	}

	@Test
	void notificationToARecipientWhoseEndpointFailsTransientlyIsRetriedThenSent() throws Exception {
		// given: the ad network's endpoint fails twice per message (see ErasureJobTestSupport)
		Customer customer = this.shop.customer();
		this.shop.disclosure(customer, "ad-network");
		long request = this.shop.verifiedRequest(customer);

		// when
		JobExecution execution = runJob();

		// then
		Map<String, Object> notice = this.shop
			.rows("SELECT * FROM notification_outbox WHERE request_id = ? AND recipient_key = 'ad-network'", request)
			.get(0);
		assertThat(notice).containsEntry("STATUS", "SENT")
			.containsEntry("ATTEMPTS", 3)
			.containsEntry("LAST_ERROR_CODE", null)
			.containsEntry("SUBJECT_REFERENCE", null);
		long key = (Long) notice.get("ID");
		assertThat(this.recipients.attempts(key)).isEqualTo(3);
		assertThat(this.recipients.processed()).filteredOn((processed) -> processed.idempotencyKey() == key)
			.singleElement()
			.satisfies((processed) -> assertThat(processed.subjectReference()).startsWith("ad-network-ref-"));
		// the notice, and the confirmation the erase step queued as it verified the erasure
		assertThat(Executions.step(execution, "notifyRecipients").getWriteCount()).isEqualTo(2);
		assertThat(Executions.step(execution, "confirmErasures").getWriteCount()).isZero();
	}

	@Test
	void recipientThatKnowsTheSubjectUnderTwoReferencesIsToldAboutEach() throws Exception {
		// given: the carrier received the subject's data under two references, one of them twice
		Customer customer = this.shop.customer();
		String first = "parcel-carrier-ref-1-" + customer.email();
		String second = "parcel-carrier-ref-2-" + customer.email();
		this.shop.disclosure(customer, "parcel-carrier", first);
		this.shop.disclosure(customer, "parcel-carrier", second);
		this.shop.disclosure(customer, "parcel-carrier", first);
		long request = this.shop.verifiedRequest(customer);

		// when
		JobExecution execution = runJob();

		// then
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.shop.rows(
				"SELECT message, status FROM notification_outbox WHERE request_id = ? AND recipient_key = 'parcel-carrier'",
				request))
			.containsExactly(Map.of("MESSAGE", "ERASURE_NOTICE", "STATUS", "SENT"),
					Map.of("MESSAGE", "ERASURE_NOTICE", "STATUS", "SENT"));
		assertThat(this.recipients.processed())
			.filteredOn((processed) -> processed.requestId() == request
					&& processed.recipientKey().equals("parcel-carrier"))
			.extracting((processed) -> processed.subjectReference())
			.containsExactlyInAnyOrder(first, second);
		// a fresh database has the wider key: one message per request, recipient, kind and reference
		assertThat(this.jdbc.sql("""
				SELECT column_name FROM information_schema.key_column_usage
				WHERE table_name = 'NOTIFICATION_OUTBOX' AND constraint_name = 'NOTIFICATION_OUTBOX_ONCE_PER_REFERENCE'
				ORDER BY ordinal_position""").query(String.class).list())
			.containsExactly("REQUEST_ID", "RECIPIENT_KEY", "MESSAGE", "REFERENCE_KEY");
	}

	@Test
	void residualDataAfterErasureFailsTheRequestAndTheJobThenTheNextRunErasesIt() throws Exception {
		// given: another system writes an order back as soon as the erasure commits
		Customer customer = this.shop.customer();
		long request = this.shop.verifiedRequest(customer);
		ReappearingOrder.install(this.jdbc);
		JobExecution execution;
		try {
			// when
			execution = runJob();
		}
		finally {
			ReappearingOrder.remove(this.jdbc);
		}

		// then
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
		StepExecution verification = Executions.step(execution, "verifyErasure");
		assertThat(verification.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(verification.getExitStatus().getExitDescription()).contains("Residual personal data")
			.contains("orders=1")
			.doesNotContain(customer.id().toString());
		assertThat(this.shop.row("erasure_request", request)).containsEntry("STATUS", "FAILED")
			.containsEntry("ERROR_CODE", "RESIDUAL_DATA")
			.containsEntry("VERIFIED_AT", null);
		// the requester is not told "erased" while their data is still there
		assertThat(this.shop.count(
				"SELECT COUNT(*) FROM notification_outbox WHERE request_id = ? AND message = 'ERASURE_CONFIRMATION'",
				request))
			.isZero();
		assertThat(this.recipients.processed()).noneMatch((processed) -> processed.requestId() == request
				&& processed.message().equals("ERASURE_CONFIRMATION"));
		assertThat(gateway().metrics()
			.require("gdpr_erasure_verification_residual_records", Map.of("job", jobName(), "table", "orders")))
			.isEqualTo(1);
		assertThat(gateway().metrics().require("batch_job_status", Map.of("job", jobName(), "status", "FAILED")))
			.isEqualTo(1);

		// when the next run comes
		JobExecution next = runJob();

		// then
		assertThat(next.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.shop.row("erasure_request", request)).containsEntry("STATUS", "COMPLETED")
			.containsEntry("ATTEMPTS", 2);
		assertThat(this.shop.rows(
				"SELECT status FROM notification_outbox WHERE request_id = ? AND message = 'ERASURE_CONFIRMATION'",
				request))
			.containsExactly(Map.of("STATUS", "SENT"));
		assertThat(this.shop.count("SELECT COUNT(*) FROM orders WHERE customer_id = ?", customer.id())).isZero();
		assertThat(gateway().metrics()
			.require("gdpr_erasure_verification_residual_records", Map.of("job", jobName(), "table", "orders")))
			.isZero();
	}

	@Test
	void residualDataOfAnErasureAnEarlierRunCompletedCountsAsFailedWithoutTakingFromThisRunsCompleted()
			throws Exception {
		// given: an earlier run completed an erasure and was killed before verifying it; the
		// subject's data is still there
		JobExecution earlier = runJob();
		Customer stale = this.shop.customer();
		long staleRequest = this.shop.verifiedRequest(stale);
		this.jdbc.sql("UPDATE erasure_request SET status = 'COMPLETED', attempts = 1, completed_at = ? WHERE id = ?")
			.params(this.shop.now(), staleRequest)
			.update();
		this.audit.record(staleRequest, "marketing_consent", AuditAction.DELETED, 1, ErasureAudit.ERASURE, earlier.getId());
		// and a request this run erases cleanly
		Customer fresh = this.shop.customer();
		long freshRequest = this.shop.verifiedRequest(fresh);

		// when
		JobExecution execution = runJob();

		// then
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(this.shop.row("erasure_request", staleRequest)).containsEntry("STATUS", "FAILED")
			.containsEntry("ERROR_CODE", "RESIDUAL_DATA");
		assertThat(this.shop.row("erasure_request", freshRequest)).containsEntry("STATUS", "COMPLETED");
		assertThat(Executions.step(execution, "verifyErasure").getExitStatus().getExitDescription())
			.contains("after 1 erasure(s) reported complete (0 of them in this run)");
		assertThat(gateway().metrics()
			.require("gdpr_erasure_last_run_requests", Map.of("job", jobName(), "outcome", "completed")))
			.isEqualTo(1);
		assertThat(gateway().metrics()
			.require("gdpr_erasure_last_run_requests", Map.of("job", jobName(), "outcome", "failed")))
			.isEqualTo(1);
	}

	@Test
	void subjectWhoseDataBreaksTheErasureIsSkippedWithAnErrorCodeWhileOthersAreErased() throws Exception {
		// given: a table the erasure does not know still references one customer
		Customer referenced = this.shop.customer();
		Customer other = this.shop.customer();
		long blocked = this.shop.verifiedRequest(referenced);
		long erased = this.shop.verifiedRequest(other);
		this.jdbc.sql("CREATE TABLE support_ticket (id BIGINT PRIMARY KEY, customer_id UUID REFERENCES customer (id))")
			.update();
		this.jdbc.sql("INSERT INTO support_ticket VALUES (1, ?)").param(referenced.id()).update();
		JobExecution execution;
		try {
			// when
			execution = runJob();
		}
		finally {
			this.jdbc.sql("DROP TABLE support_ticket").update();
		}

		// then
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(execution.getExitStatus().getExitCode()).isEqualTo("COMPLETED_WITH_SKIPS");
		assertThat(Executions.step(execution, "eraseSubjects").getWriteSkipCount()).isOne();
		assertThat(this.shop.row("erasure_request", blocked)).containsEntry("STATUS", "FAILED")
			.containsEntry("ERROR_CODE", "REFERENCED_BY_OTHER_DATA")
			.containsEntry("ATTEMPTS", 1);
		// nothing of the skipped subject's erasure was left half done
		assertThat(this.shop.count("SELECT COUNT(*) FROM address WHERE customer_id = ?", referenced.id())).isOne();
		assertThat(this.shop.count("SELECT COUNT(*) FROM erasure_audit WHERE request_id = ?", blocked)).isZero();
		assertThat(this.shop.count("SELECT COUNT(*) FROM notification_outbox WHERE request_id = ?", blocked)).isZero();
		assertThat(this.shop.count("SELECT COUNT(*) FROM suppression_entry")).isOne();
		assertThat(this.shop.row("erasure_request", erased)).containsEntry("STATUS", "COMPLETED");
	}

	@Test
	void transientDatabaseErrorIsRetriedAndTheSubjectErasedOnce() throws Exception {
		// given: the first attempt to delete the customer hits a lock timeout
		Customer customer = this.shop.customer();
		long request = this.shop.verifiedRequest(customer);
		InjectedFault.arm(this.jdbc, "BEFORE DELETE ON customer", 1, true, InjectedFault::lockTimeout);
		JobExecution execution;
		try {
			// when
			execution = runJob();
		}
		finally {
			InjectedFault.disarm(this.jdbc);
		}

		// then
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(InjectedFault.calls()).isEqualTo(2);
		assertThat(this.shop.row("erasure_request", request)).containsEntry("STATUS", "COMPLETED");
		assertThat(this.shop.rows("SELECT table_name, row_count FROM erasure_audit WHERE request_id = ? AND action = 'DELETED'",
				request))
			.contains(Map.of("TABLE_NAME", "customer", "ROW_COUNT", 1), Map.of("TABLE_NAME", "address", "ROW_COUNT", 1))
			.as("one audit row per table, zero-row actions included: recorded once despite the retry")
			.hasSize(5);
	}

	@Test
	void subjectWhoseTransientErrorOutlastsTheRetriesIsSkippedWithAnErrorCodeWhileOthersAreErased()
			throws Exception {
		// given: every attempt to delete one customer hits a lock timeout; that request is due first
		Customer stuck = this.shop.customer();
		Customer first = this.shop.customer();
		Customer second = this.shop.customer();
		long blocked = this.shop.request(stuck, "VERIFIED", this.shop.now().minusDays(20), null);
		long erasedFirst = this.shop.verifiedRequest(first);
		long erasedSecond = this.shop.verifiedRequest(second);
		InjectedFault.armForRow(this.jdbc, "BEFORE DELETE ON customer", stuck.id(), 1, false,
				InjectedFault::lockTimeout);
		List<JobExecution> executions = new java.util.ArrayList<>();
		try {
			// when: as many runs as gdpr.erasure.max-attempts allows, and one more
			for (int run = 0; run < 4; run++) {
				executions.add(runJob());
			}
		}
		finally {
			InjectedFault.disarm(this.jdbc);
		}

		// then: the first run erased the others and ended with skips, not FAILED
		JobExecution execution = executions.get(0);
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(execution.getExitStatus().getExitCode()).isEqualTo("COMPLETED_WITH_SKIPS");
		assertThat(Executions.step(execution, "eraseSubjects").getWriteSkipCount()).isOne();
		assertThat(this.shop.row("erasure_request", erasedFirst)).containsEntry("STATUS", "COMPLETED");
		assertThat(this.shop.row("erasure_request", erasedSecond)).containsEntry("STATUS", "COMPLETED");
		assertThat(this.shop.count("SELECT COUNT(*) FROM customer WHERE id IN (?, ?)", first.id(), second.id()))
			.isZero();
		// the stuck one is FAILED with the lock timeout's SQL state, untouched, tried at most 3 times
		assertThat(this.shop.row("erasure_request", blocked)).containsEntry("STATUS", "FAILED")
			.containsEntry("ERROR_CODE", "SQLSTATE_HYT00")
			.containsEntry("ATTEMPTS", 3);
		assertThat(this.shop.count("SELECT COUNT(*) FROM customer WHERE id = ?", stuck.id())).isOne();
		assertThat(this.shop.count("SELECT COUNT(*) FROM erasure_audit WHERE request_id = ?", blocked)).isZero();
		assertThat(executions).allSatisfy((run) -> assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED));
		assertThat(Executions.step(executions.get(3), "eraseSubjects").getReadCount()).isZero();
	}

	@Test
	void deadlinesFollowArticle12CountingAndOnlyATimelyExtensionCounts() throws Exception {
		// given: requests awaiting identity, so the job computes deadlines but erases nothing
		Customer a = this.shop.customer();
		Customer b = this.shop.customer();
		Customer c = this.shop.customer();
		long endOfJanuary = this.shop.request(a, "RECEIVED", LocalDate.of(2024, 1, 31).atTime(17, 45), null);
		long extended = this.shop.request(b, "RECEIVED", LocalDate.of(2024, 1, 31).atTime(9, 0),
				LocalDate.of(2024, 2, 29));
		long lateExtension = this.shop.request(c, "RECEIVED", LocalDate.of(2024, 1, 31).atTime(9, 0),
				LocalDate.of(2024, 3, 1));

		// when
		runJob();

		// then
		assertThat(this.shop.row("erasure_request", endOfJanuary)).containsEntry("DEADLINE", LocalDate.of(2024, 2, 29))
			.containsEntry("EXTENDED_DEADLINE", null)
			.containsEntry("DUE_ON", LocalDate.of(2024, 2, 29));
		assertThat(this.shop.row("erasure_request", extended)).containsEntry("EXTENDED_DEADLINE", LocalDate.of(2024, 4, 29))
			.containsEntry("DUE_ON", LocalDate.of(2024, 4, 29));
		assertThat(this.shop.row("erasure_request", lateExtension)).containsEntry("EXTENDED_DEADLINE", null)
			.containsEntry("DUE_ON", LocalDate.of(2024, 2, 29));
		assertThat(gateway().metrics().require("gdpr_erasure_requests_overdue", Map.of("job", jobName()))).isEqualTo(3);
	}

	@Test
	void extensionWithoutReasonsOrNotifiedBeforeReceiptDoesNotMoveTheDeadline() throws Exception {
		// given: two extensions "notified" within the first month that Art. 12(3) does not accept
		Customer a = this.shop.customer();
		Customer b = this.shop.customer();
		long withoutReason = this.shop.request(a, "RECEIVED", LocalDate.of(2024, 1, 31).atTime(9, 0),
				LocalDate.of(2024, 2, 10), null);
		long beforeReceipt = this.shop.request(b, "RECEIVED", LocalDate.of(2024, 1, 31).atTime(9, 0),
				LocalDate.of(2024, 1, 30), "COMPLEXITY");

		// when
		runJob();

		// then
		assertThat(this.shop.row("erasure_request", withoutReason)).containsEntry("EXTENDED_DEADLINE", null)
			.containsEntry("DUE_ON", LocalDate.of(2024, 2, 29));
		assertThat(this.shop.row("erasure_request", beforeReceipt)).containsEntry("EXTENDED_DEADLINE", null)
			.containsEntry("DUE_ON", LocalDate.of(2024, 2, 29));
	}

	static String hmacSha256(String key, String email) throws Exception {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		return HexFormat.of().formatHex(mac.doFinal(email.toLowerCase().getBytes(StandardCharsets.UTF_8)));
	}

}
