package io.github.batchpushgateway.example.gdpr;

import java.time.Period;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.batchpushgateway.example.gdpr.Shop.Customer;
import io.github.batchpushgateway.example.gdpr.erasure.ErasureAudit;
import io.github.batchpushgateway.example.gdpr.erasure.SubjectIdentifiers;
import io.github.batchpushgateway.example.gdpr.verification.ResidualData;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The decisions a data-protection officer checks: the ground of a request is read, contracts
 * are judged by an allow-list of statuses, the subject is found by every identifier the shop
 * holds, the requester is told what is true, identity is established first, and the
 * accountability record proves what was (and was not) found.
 */
class LegalDecisionsTests extends ErasureJobTestSupport {

	@Autowired
	ResidualData residualData;

	@Autowired
	GdprProperties properties;

	@Test
	void consentWithdrawnDuringAnOpenContractErasesMarketingAtOnceAndDefersTheRestWithReasons() throws Exception {
		// given
		Customer buyer = this.shop.customer();
		this.shop.openOrder(buyer);
		long request = this.shop.verifiedRequest(buyer, "CONSENT_WITHDRAWN");

		// when
		JobExecution execution = runJob();

		// then: Art. 7(3) and 21(3) whatever the contract
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.shop.count("SELECT COUNT(*) FROM marketing_consent WHERE customer_id = ?", buyer.id())).isZero();
		assertThat(this.shop.count("SELECT COUNT(*) FROM suppression_entry")).isOne();
		assertThat(this.shop.rows("SELECT table_name, action, row_count, basis FROM erasure_audit WHERE request_id = ? ORDER BY id",
				request))
			.extracting((row) -> tuple(row.get("TABLE_NAME"), row.get("ACTION"), row.get("ROW_COUNT"), row.get("BASIS")))
			.containsExactly(tuple("marketing_consent", "DELETED", 1, ErasureAudit.MARKETING_ERASURE),
					tuple("suppression_entry", "SUPPRESSED", 1, ErasureAudit.SUPPRESSION));
		// ... the rest deferred while the contract runs, with reasons
		assertThat(this.shop.count("SELECT COUNT(*) FROM customer WHERE id = ?", buyer.id())).isOne();
		assertThat(this.shop.count("SELECT COUNT(*) FROM address WHERE customer_id = ?", buyer.id())).isOne();
		assertThat(this.shop.row("erasure_request", request)).containsEntry("STATUS", "REJECTED")
			.containsEntry("REASON_CODE", "OPEN_CONTRACT")
			.containsEntry("REQUESTER_EMAIL", buyer.email());
		assertThat(this.shop.rows("SELECT message, status FROM notification_outbox WHERE request_id = ?", request))
			.containsExactly(Map.of("MESSAGE", "PARTIAL_REFUSAL", "STATUS", "SENT"));
		assertThat(gateway().metrics()
			.require("gdpr_erasure_requests_pending", Map.of("job", jobName(), "state", "deferred"))).isOne();
	}

	@Test
	void requestRefusedBecauseOfAContractIsErasedOnceTheContractEnds() throws Exception {
		// given: refused while the order was open
		Customer buyer = this.shop.customer();
		long order = this.shop.openOrder(buyer);
		long request = this.shop.verifiedRequest(buyer, "OBJECTION");
		runJob();
		assertThat(this.shop.row("erasure_request", request)).containsEntry("STATUS", "REJECTED");

		// when the order is delivered and the job runs again
		this.jdbc.sql("UPDATE orders SET status = 'DELIVERED' WHERE id = ?").param(order).update();
		runJob();

		// then
		assertThat(this.shop.row("erasure_request", request)).containsEntry("STATUS", "COMPLETED")
			.containsEntry("REASON_CODE", null);
		assertThat(this.shop.count("SELECT COUNT(*) FROM customer WHERE id = ?", buyer.id())).isZero();
		assertThat(this.shop.row("orders", order)).containsEntry("SHIPPING_NAME", null).containsEntry("CUSTOMER_ID", null);
		assertThat(this.shop.rows("SELECT message FROM notification_outbox WHERE request_id = ? ORDER BY id", request))
			.extracting((row) -> row.get("MESSAGE"))
			.containsExactly("PARTIAL_REFUSAL", "ERASURE_CONFIRMATION");
		assertThat(this.shop.rows("SELECT DISTINCT basis FROM erasure_audit WHERE request_id = ? AND table_name = 'customer'",
				request))
			.containsExactly(Map.of("BASIS", "GDPR Art. 17(1)(c), 21(1)"));
	}

	@Test
	void requestAnEarlierVersionRefusedAsAWholeGetsItsMarketingErasedAndTheRequesterTold() throws Exception {
		// given: refused for an open contract before marketing was erased at once
		Customer buyer = this.shop.customer();
		this.shop.openOrder(buyer);
		long request = this.shop.verifiedRequest(buyer, "CONSENT_WITHDRAWN");
		this.jdbc.sql("UPDATE erasure_request SET status = 'REJECTED', reason_code = 'OPEN_CONTRACT' WHERE id = ?")
			.param(request)
			.update();

		// when
		runJob();

		// then
		assertThat(this.shop.count("SELECT COUNT(*) FROM marketing_consent WHERE customer_id = ?", buyer.id())).isZero();
		assertThat(this.shop.count("SELECT COUNT(*) FROM suppression_entry")).isOne();
		assertThat(this.shop.rows("SELECT message FROM notification_outbox WHERE request_id = ?", request))
			.containsExactly(Map.of("MESSAGE", "PARTIAL_REFUSAL"));

		// when: the customer consents again while the contract runs, and the job runs again
		this.jdbc.sql("INSERT INTO marketing_consent (customer_id, channel, granted_at) VALUES (?, 'EMAIL', ?)")
			.params(buyer.id(), this.shop.now())
			.update();
		runJob();

		// then: that consent is theirs to give
		assertThat(this.shop.count("SELECT COUNT(*) FROM marketing_consent WHERE customer_id = ?", buyer.id())).isOne();
	}

	@Test
	void refusalAPersonDecidedOnAnotherGroundIsFinal() throws Exception {
		// given: refused as manifestly unfounded (Art. 12(5)), no contract in the way
		Customer zelda = this.shop.customer();
		long request = this.shop.verifiedRequest(zelda);
		this.jdbc.sql("UPDATE erasure_request SET status = 'REJECTED', reason_code = 'MANIFESTLY_UNFOUNDED' WHERE id = ?")
			.param(request)
			.update();

		// when
		runJob();

		// then
		assertThat(this.shop.row("erasure_request", request)).containsEntry("STATUS", "REJECTED")
			.containsEntry("REASON_CODE", "MANIFESTLY_UNFOUNDED");
		assertThat(this.shop.count("SELECT COUNT(*) FROM customer WHERE id = ?", zelda.id())).isOne();
		assertThat(this.shop.count("SELECT COUNT(*) FROM erasure_audit WHERE request_id = ?", request)).isZero();
		assertThat(gateway().metrics()
			.require("gdpr_erasure_requests_pending", Map.of("job", jobName(), "state", "deferred"))).isZero();
	}

	@Test
	void statusListedBothOpenAndClosedIsRefusedAtStartUp() {
		GdprProperties overlapping = new GdprProperties();
		overlapping.getOrders().getClosedStatuses().add("SHIPPED");
		org.assertj.core.api.Assertions
			.assertThatIllegalArgumentException()
			.isThrownBy(() -> new io.github.batchpushgateway.example.gdpr.erasure.OrderContracts(this.jdbc, overlapping))
			.withMessageContaining("[SHIPPED]");
	}

	@Test
	void paidOrderIsAnOpenContractAndKeepsItsShippingData() throws Exception {
		// given
		Customer buyer = this.shop.customer();
		long order = this.shop.order(buyer, "PAID");
		long request = this.shop.verifiedRequest(buyer);

		// when
		runJob();

		// then
		assertThat(this.shop.row("erasure_request", request)).containsEntry("REASON_CODE", "OPEN_CONTRACT");
		assertThat(this.shop.row("orders", order)).containsEntry("SHIPPING_NAME", buyer.name())
			.containsEntry("SHIPPING_STREET", buyer.street());
	}

	@Test
	void orderInAStatusTheJobDoesNotKnowCountsAsOpenAndIsReported() throws Exception {
		// given
		Customer buyer = this.shop.customer();
		long order = this.shop.order(buyer, "IN_CUSTOMS");
		long request = this.shop.verifiedRequest(buyer);

		// when
		runJob();

		// then
		assertThat(this.shop.row("erasure_request", request)).containsEntry("STATUS", "REJECTED")
			.containsEntry("REASON_CODE", "UNKNOWN_ORDER_STATUS");
		assertThat(this.shop.row("orders", order)).containsEntry("SHIPPING_STREET", buyer.street())
			.containsEntry("CONTACT_EMAIL", buyer.email());
		assertThat(gateway().metrics()
			.require("gdpr_unknown_status_records", Map.of("job", jobName(), "table", "orders"))).isOne();
	}

	@Test
	void guestOrderUnderTheSubjectsAddressIsMinimisedAndItsInvoiceRestrictedToo() throws Exception {
		// given: a guest order under the account's address, spelt differently
		Customer zelda = this.shop.customer();
		long guestOrder = this.shop.guestOrder(zelda, " " + zelda.email().toUpperCase() + " ", "DELIVERED");
		long request = this.shop.verifiedRequest(zelda);

		// when
		runJob();

		// then
		Map<String, Object> order = this.shop.row("orders", guestOrder);
		assertThat(order).containsEntry("CONTACT_EMAIL", null)
			.containsEntry("SHIPPING_NAME", null)
			.containsEntry("SHIPPING_STREET", null)
			.containsEntry("CONTACT_PHONE", null)
			.containsEntry("NOTES", null);
		assertThat(this.shop.row("invoice", order.get("INVOICE_ID"))).containsEntry("RESTRICTED", true)
			.containsEntry("RESTRICTED_BY_REQUEST", request);
		assertThat(this.shop.row("erasure_request", request)).containsEntry("STATUS", "COMPLETED");
		assertThat(this.shop.row("erasure_request", request).get("VERIFIED_AT")).isNotNull();
	}

	@Test
	void guestOrderLeftUnderTheRequestersAddressCountsAsResidualData() {
		// given: a guest order nobody erased
		Customer guest = this.shop.stranger();
		this.jdbc.sql("""
				INSERT INTO orders (placed_at, status, total_cents, shipping_name, contact_email)
				VALUES (CURRENT_TIMESTAMP, 'DELIVERED', 100, ?, ?)""").params(guest.name(), guest.email()).update();

		// when
		Map<String, Long> residual = this.residualData.ofSubject(SubjectIdentifiers.of(guest.id(), guest.email()));

		// then
		assertThat(residual).containsEntry("orders", 1L).containsEntry("customer", 0L);
	}

	@Test
	void requestForSomebodyOfWhomNothingIsHeldIsAnsweredNoDataHeldNotErased() throws Exception {
		// given
		Customer stranger = this.shop.stranger();
		long request = this.shop.verifiedRequest(stranger);

		// when
		runJob();

		// then
		assertThat(this.shop.row("erasure_request", request)).containsEntry("STATUS", "NO_DATA_HELD")
			.containsEntry("REASON_CODE", "NO_DATA_HELD")
			.containsEntry("REQUESTER_EMAIL", null);
		assertThat(this.shop.rows("SELECT message, status FROM notification_outbox WHERE request_id = ?", request))
			.containsExactly(Map.of("MESSAGE", "NO_DATA_NOTICE", "STATUS", "SENT"));
		assertThat(this.shop.count("SELECT COUNT(*) FROM suppression_entry")).isZero();
		assertThat(gateway().metrics()
			.require("gdpr_erasure_last_run_requests", Map.of("job", jobName(), "outcome", "no_data"))).isOne();
		assertThat(gateway().metrics()
			.require("gdpr_erasure_last_run_requests", Map.of("job", jobName(), "outcome", "completed"))).isZero();
	}

	@Test
	void requestMarkedVerifiedWithoutARecordedIdentityVerificationIsNotErased() throws Exception {
		// given
		Customer zelda = this.shop.customer();
		long request = this.shop.verifiedRequest(zelda);
		this.jdbc.sql("UPDATE erasure_request SET identity_verified_at = NULL WHERE id = ?").param(request).update();

		// when
		runJob();

		// then
		assertThat(this.shop.row("erasure_request", request)).containsEntry("STATUS", "FAILED")
			.containsEntry("ERROR_CODE", "IDENTITY_NOT_VERIFIED")
			.containsEntry("ATTEMPTS", 0);
		assertThat(this.shop.count("SELECT COUNT(*) FROM customer WHERE id = ?", zelda.id())).isOne();
		assertThat(this.shop.count("SELECT COUNT(*) FROM marketing_consent WHERE customer_id = ?", zelda.id())).isOne();
		assertThat(gateway().metrics()
			.require("gdpr_erasure_last_run_requests", Map.of("job", jobName(), "outcome", "failed"))).isOne();

		// when a person records the verification
		this.jdbc.sql("UPDATE erasure_request SET identity_verified_at = CURRENT_TIMESTAMP WHERE id = ?")
			.param(request)
			.update();
		runJob();

		// then
		assertThat(this.shop.row("erasure_request", request)).containsEntry("STATUS", "COMPLETED");
	}

	@Test
	void requestInAStatusTheJobDoesNotKnowIsCountedAndReported() throws Exception {
		// given
		long request = this.shop.verifiedRequest(this.shop.customer());
		this.jdbc.sql("UPDATE erasure_request SET status = 'ESCALATED' WHERE id = ?").param(request).update();

		// when
		runJob();

		// then
		assertThat(gateway().metrics()
			.require("gdpr_unknown_status_records", Map.of("job", jobName(), "table", "erasure_request"))).isOne();
		assertThat(gateway().metrics()
			.require("gdpr_unknown_status_records", Map.of("job", jobName(), "table", "orders"))).isZero();
	}

	@Test
	void auditRecordsActionsThatTouchedNoRowsAndKeepsSuppressionOnItsOwnBasis() throws Exception {
		// given: no orders, no disclosures, no legal hold
		Customer zelda = this.shop.customer();
		long request = this.shop.verifiedRequest(zelda);

		// when
		JobExecution execution = runJob();

		// then
		assertThat(this.shop.rows("SELECT table_name, action, row_count, basis FROM erasure_audit WHERE request_id = ? ORDER BY id",
				request))
			.extracting((row) -> tuple(row.get("TABLE_NAME"), row.get("ACTION"), row.get("ROW_COUNT"), row.get("BASIS")))
			.containsExactly(tuple("invoice", "RESTRICTED", 0, ErasureAudit.INVOICE_RETENTION),
					tuple("orders", "MINIMIZED", 0, ErasureAudit.MINIMISATION),
					tuple("marketing_consent", "DELETED", 1, "GDPR Art. 17(1)(b), 7(3)"),
					tuple("address", "DELETED", 1, "GDPR Art. 17(1)(b), 7(3)"),
					tuple("subject_disclosure", "DELETED", 0, "GDPR Art. 17(1)(b), 7(3)"),
					tuple("legal_hold", "DELETED", 0, "GDPR Art. 17(1)(b), 7(3)"),
					tuple("customer", "DELETED", 1, "GDPR Art. 17(1)(b), 7(3)"),
					tuple("suppression_entry", "SUPPRESSED", 1, "GDPR Art. 6(1)(c), 6(1)(f), 21(3)"),
					tuple("erasure_request", "MINIMIZED", 1, ErasureAudit.STORAGE_LIMITATION));
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
	}

	@Test
	void invoiceRetentionDefaultsToGermanysEightYearsSince2025() {
		assertThat(this.properties.getRetention().getInvoicePeriod()).isEqualTo(Period.ofYears(8));
	}

	@Test
	void residualDataMetricReadsOnlyTheSubjectsOfTheCurrentRun() throws Exception {
		// given: an erasure completed long ago whose subject's account was since restored from a backup
		UUID restored = UUID.randomUUID();
		this.jdbc.sql("""
				INSERT INTO erasure_request (subject_id, ground, received_at, identity_verified_at, status, attempts,
					completed_at, verified_at)
				VALUES (?, 'CONSENT_WITHDRAWN', DATEADD('YEAR', -3, CURRENT_TIMESTAMP), DATEADD('YEAR', -3, CURRENT_TIMESTAMP),
					'COMPLETED', 1, DATEADD('YEAR', -3, CURRENT_TIMESTAMP), DATEADD('YEAR', -3, CURRENT_TIMESTAMP))""")
			.param(restored)
			.update();
		this.jdbc.sql("INSERT INTO customer (id, email, name, created_at) VALUES (?, 'old@example.org', 'Old', CURRENT_TIMESTAMP)")
			.param(restored)
			.update();
		// ... and one this run erases
		this.shop.verifiedRequest(this.shop.customer());

		// when
		runJob();

		// then: the push reads what this run touched, not every request ever completed
		assertThat(gateway().metrics()
			.require("gdpr_erasure_verification_residual_records", Map.of("job", jobName(), "table", "customer")))
			.isZero();
		assertThat(List.of(this.shop.count("SELECT COUNT(*) FROM customer WHERE id = ?", restored))).containsExactly(1L);
	}

}
