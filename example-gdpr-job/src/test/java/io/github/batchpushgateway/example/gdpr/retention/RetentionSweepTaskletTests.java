package io.github.batchpushgateway.example.gdpr.retention;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.batchpushgateway.example.gdpr.erasure.AuditAction;
import io.github.batchpushgateway.example.gdpr.erasure.ErasureAudit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.test.MetaDataInstanceFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The requester addresses {@link RetentionSweepTasklet} drops: those of final requests whose
 * reply is out, as {@link RequesterContacts} counts them for the metric, and no other.
 */
class RetentionSweepTaskletTests {

	private final JdbcDataSource dataSource = RequestsAndMessages.database();

	private final JdbcClient jdbc = JdbcClient.create(this.dataSource);

	private final RequestsAndMessages shop = new RequestsAndMessages(this.jdbc);

	private final Clock clock = Clock.fixed(Instant.parse("2026-03-02T10:00:00Z"), ZoneOffset.UTC);

	@Test
	void anAddressIsDroppedOnceAReplyToAFinalRequestIsDeliveredOrGivenUp() {
		// given
		long delivered = this.shop.request("COMPLETED", null);
		this.shop.message(delivered, "requester", "ERASURE_CONFIRMATION", "SENT");
		long givenUp = this.shop.request("NO_DATA_HELD", "NO_DATA_HELD");
		this.shop.message(givenUp, "requester", "NO_DATA_NOTICE", "UNDELIVERABLE");
		long replyWaiting = this.shop.request("COMPLETED", null);
		this.shop.message(replyWaiting, "requester", "ERASURE_CONFIRMATION", "PENDING");
		this.shop.message(replyWaiting, "payment-provider", "ERASURE_NOTICE", "SENT");
		long deferred = this.shop.request("REJECTED", "OPEN_CONTRACT");
		this.shop.message(deferred, "requester", "PARTIAL_REFUSAL", "SENT");
		long open = this.shop.request("VERIFIED", null);
		assertThat(noLongerNeeded()).isEqualTo(2);

		// when
		sweep();

		// then
		assertThat(addresses()).containsExactly(replyWaiting, deferred, open);
		assertThat(this.jdbc.sql("SELECT request_id FROM erasure_audit WHERE table_name = 'erasure_request' ORDER BY request_id")
			.query(Long.class)
			.list()).containsExactly(delivered, givenUp);
		assertThat(noLongerNeeded()).isZero();
	}

	@Test
	void anAddressWaitingForItsReplyIsDroppedByTheSweepAfterTheReplyIsOut() {
		// given: swept once while the reply waited
		long request = this.shop.request("COMPLETED", null);
		long reply = this.shop.message(request, "requester", "ERASURE_CONFIRMATION", "PENDING");
		sweep();
		assertThat(addresses()).containsExactly(request);

		// when
		this.shop.status(reply, "SENT");
		sweep();

		// then
		assertThat(addresses()).isEmpty();
	}

	@Test
	void aSweepStoppedByACrashKeepsTheGroupsItCommittedEachWithItsAudit() {
		// given: five addresses no longer needed, swept two per transaction, the fourth change failing
		List<Long> requests = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			long request = this.shop.request("COMPLETED", null);
			this.shop.message(request, "requester", "ERASURE_CONFIRMATION", "SENT");
			requests.add(request);
		}
		AtomicInteger recorded = new AtomicInteger();
		ErasureAudit failingFourth = new ErasureAudit(new JdbcTemplate(this.dataSource), this.clock) {

			@Override
			public void record(long requestId, String table, AuditAction action, int rows, String basis,
					long jobExecutionId) {
				if (recorded.incrementAndGet() == 4) {
					throw new IllegalStateException("the process dies");
				}
				super.record(requestId, table, action, rows, basis, jobExecutionId);
			}

		};

		// when
		assertThatIllegalStateException().isThrownBy(() -> sweep(failingFourth, 2));

		// then: the first group's addresses are gone and audited, the second group's are all kept
		assertThat(addresses()).containsExactlyElementsOf(requests.subList(2, 5));
		assertThat(auditedRequests()).containsExactlyElementsOf(requests.subList(0, 2));

		// and the next run sweeps the rest, each once
		sweep();
		assertThat(addresses()).isEmpty();
		assertThat(auditedRequests()).containsExactlyElementsOf(requests);
	}

	@Test
	void expiredInvoicesAreDeletedInGroupsEachWithItsOrdersUnlinkedAndItsAudit() {
		// given: three restricted invoices past retention, one of them still referenced by an order
		long request = this.shop.request("COMPLETED", null);
		List<Long> invoices = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			invoices.add(this.shop.expiredInvoice(request, LocalDate.of(2026, 1, 3 - i)));
		}
		this.shop.order(invoices.get(2));

		// when: two per transaction
		sweep(new ErasureAudit(new JdbcTemplate(this.dataSource), this.clock), 2);

		// then: every one deleted, the order kept and unlinked, the three rows audited for the request
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM invoice").query(Long.class).single()).isZero();
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM orders WHERE invoice_id IS NULL").query(Long.class).single())
			.isOne();
		assertThat(this.jdbc.sql("""
				SELECT SUM(row_count) FROM erasure_audit WHERE request_id = ? AND table_name = 'invoice'
				AND action = 'DELETED'""").param(request).query(Long.class).single()).isEqualTo(3);
	}

	private List<Long> auditedRequests() {
		return this.jdbc.sql("SELECT request_id FROM erasure_audit WHERE table_name = 'erasure_request' ORDER BY request_id")
			.query(Long.class)
			.list();
	}

	private long noLongerNeeded() {
		return RequesterContacts.ANSWERED.stream()
			.mapToLong((status) -> this.jdbc
				.sql("SELECT COUNT(*) FROM erasure_request r WHERE " + RequesterContacts.NO_LONGER_NEEDED_IN_STATUS)
				.param(status)
				.query(Long.class)
				.single())
			.sum();
	}

	private void sweep() {
		sweep(new ErasureAudit(new JdbcTemplate(this.dataSource), this.clock), 200);
	}

	private void sweep(ErasureAudit audit, int rowsPerTransaction) {
		StepExecution step = MetaDataInstanceFactory.createStepExecution();
		new RetentionSweepTasklet(this.jdbc, new JdbcTemplate(this.dataSource), audit, this.clock,
				new JdbcTransactionManager(this.dataSource), rowsPerTransaction)
			.execute(new StepContribution(step), new ChunkContext(new StepContext(step)));
	}

	/** The requests still holding an address. */
	private List<Long> addresses() {
		return this.jdbc.sql("SELECT id FROM erasure_request WHERE requester_email IS NOT NULL ORDER BY id")
			.query(Long.class)
			.list();
	}

}
