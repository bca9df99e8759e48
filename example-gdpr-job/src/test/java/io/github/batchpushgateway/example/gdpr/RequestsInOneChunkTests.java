package io.github.batchpushgateway.example.gdpr;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.batchpushgateway.example.gdpr.Shop.Customer;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Requests of one chunk that name the same subject, or an address of a subject the chunk
 * erases, are decided as if each had its own transaction, in deadline order: the first erases,
 * the later one finds the data gone and is answered so (Art. 12(3)); nothing is erased or
 * audited twice, and no request is left unanswered. The erase step erases a chunk's subjects
 * together, so these are the cases where a later request must see what an earlier one did.
 */
class RequestsInOneChunkTests extends ErasureJobTestSupport {

	@Test
	void secondRequestOfASubjectErasedEarlierInTheChunkIsAnsweredNoDataHeldNotErasedAgain() throws Exception {
		// given: the same person asked twice; both requests fall in one chunk of three
		Customer zelda = this.shop.customer();
		this.shop.deliveredOrder(zelda, this.shop.today().plusYears(5));
		this.shop.disclosure(zelda, "parcel-carrier");
		long first = this.shop.request(zelda, "VERIFIED", this.shop.now().minusDays(9), null);
		long second = this.shop.request(zelda, "VERIFIED", this.shop.now().minusDays(8), null);

		// when
		BatchStatus status = runJob().getStatus();

		// then: the first request erased the subject, once
		assertThat(status).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.shop.row("erasure_request", first)).containsEntry("STATUS", "COMPLETED");
		assertThat(this.shop.count("SELECT COUNT(*) FROM customer")).isZero();
		// (erasure_request's rows are the retention sweep's: each requester's address, dropped once answered)
		assertThat(this.shop.rows("""
				SELECT request_id, table_name, SUM(row_count) AS records FROM erasure_audit
				WHERE row_count > 0 AND table_name <> 'erasure_request' GROUP BY request_id, table_name
				ORDER BY table_name"""))
			.extracting((row) -> row.get("REQUEST_ID"), (row) -> row.get("TABLE_NAME"), (row) -> row.get("RECORDS"))
			.containsExactly(tuple(first, "address", 1L), tuple(first, "customer", 1L), tuple(first, "invoice", 1L),
					tuple(first, "marketing_consent", 1L), tuple(first, "orders", 1L),
					tuple(first, "subject_disclosure", 1L), tuple(first, "suppression_entry", 1L));
		assertThat(this.shop.count("SELECT COUNT(*) FROM suppression_entry")).isOne();
		assertThat(this.shop.rows("SELECT recipient_key, message FROM notification_outbox WHERE request_id = ?",
				first))
			.extracting((row) -> row.get("RECIPIENT_KEY"), (row) -> row.get("MESSAGE"))
			.containsExactlyInAnyOrder(tuple("parcel-carrier", "ERASURE_NOTICE"),
					tuple("requester", "ERASURE_CONFIRMATION"));
		// and the second, decided after it, was answered with what is true by then
		assertThat(this.shop.row("erasure_request", second)).containsEntry("STATUS", "NO_DATA_HELD")
			.containsEntry("REASON_CODE", "NO_DATA_HELD");
		assertThat(this.shop.count(
				"SELECT COUNT(*) FROM erasure_audit WHERE request_id = ? AND table_name <> 'erasure_request'", second))
			.isZero();
		assertThat(this.shop.rows("SELECT recipient_key, message, status FROM notification_outbox WHERE request_id = ?",
				second))
			.containsExactly(Map.of("RECIPIENT_KEY", "requester", "MESSAGE", "NO_DATA_NOTICE", "STATUS", "SENT"));
	}

	@Test
	void requestUnderTheAddressOfASubjectErasedEarlierInTheChunkFindsItsGuestOrderAlreadyMinimised()
			throws Exception {
		// given: a guest order under the account's address; the account's request comes first,
		// then a request naming no account, made from that address
		Customer zelda = this.shop.customer();
		long guestOrder = this.shop.guestOrder(zelda, zelda.email(), "DELIVERED");
		Customer asGuest = new Customer(UUID.randomUUID(), zelda.name(), zelda.email(), zelda.phone(), zelda.street());
		long account = this.shop.request(zelda, "VERIFIED", this.shop.now().minusDays(9), null);
		long guest = this.shop.request(asGuest, "VERIFIED", this.shop.now().minusDays(8), null);

		// when
		BatchStatus status = runJob().getStatus();

		// then: the account's request minimised the guest order and restricted its invoice
		assertThat(status).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.shop.row("orders", guestOrder)).containsEntry("CONTACT_EMAIL", null);
		assertThat(this.shop.row("invoice", this.shop.row("orders", guestOrder).get("INVOICE_ID")))
			.containsEntry("RESTRICTED_BY_REQUEST", account);
		assertThat(this.shop.rows("""
				SELECT request_id, table_name, action, row_count FROM erasure_audit
				WHERE table_name IN ('orders', 'invoice', 'suppression_entry') ORDER BY table_name"""))
			.extracting((row) -> row.get("REQUEST_ID"), (row) -> row.get("TABLE_NAME"), (row) -> row.get("ROW_COUNT"))
			.containsExactly(tuple(account, "invoice", 1), tuple(account, "orders", 1),
					tuple(account, "suppression_entry", 1));
		assertThat(this.shop.row("erasure_request", account)).containsEntry("STATUS", "COMPLETED");
		// and the guest's request found nothing left, and was told so
		assertThat(this.shop.row("erasure_request", guest)).containsEntry("STATUS", "NO_DATA_HELD");
		assertThat(this.shop.rows("SELECT message FROM notification_outbox WHERE request_id = ?", guest))
			.extracting((row) -> row.get("MESSAGE"))
			.isEqualTo(List.of("NO_DATA_NOTICE"));
	}

}
