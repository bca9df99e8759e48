package io.github.batchpushgateway.example.gdpr;

import java.util.ArrayList;
import java.util.List;

import io.github.batchpushgateway.example.gdpr.Shop.Customer;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A crash in the middle of the erase step at the chunk size the job ships with, not the three
 * subjects per chunk of the other tests: every chunk committed before the crash stays whole,
 * the crashed chunk leaves nothing, and the restart erases each subject exactly once.
 */
class RestartAtDefaultChunkSizeTests extends ErasureJobTestSupport {

	private static final int CHUNK_SIZE = new GdprProperties.Erasure().getChunkSize();

	@Autowired
	JobOperator jobOperator;

	@DynamicPropertySource
	static void defaultChunkSize(DynamicPropertyRegistry registry) {
		registry.add("gdpr.erasure.chunk-size", () -> CHUNK_SIZE);
	}

	@Test
	void crashInTheSecondChunkKeepsTheFirstWholeAndTheRestartErasesEverySubjectOnce() throws Exception {
		// given: two and a half chunks of verified requests; the database goes away halfway
		// through the second chunk's customers
		int subjects = 2 * CHUNK_SIZE + CHUNK_SIZE / 2;
		List<Long> requests = new ArrayList<>();
		for (int i = 0; i < subjects; i++) {
			Customer customer = this.shop.customer();
			this.shop.disclosure(customer, "payment-provider");
			requests.add(this.shop.request(customer, "VERIFIED", this.shop.now().minusDays(20), null));
		}
		JobExecution crashed = InjectedFault.crashing(this.jdbc, "BEFORE DELETE ON customer",
				CHUNK_SIZE + CHUNK_SIZE / 2, this::runJob);

		// then: the first chunk, whole; nothing of the second
		assertThat(crashed.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(this.shop.rows("SELECT id FROM erasure_request WHERE status = 'COMPLETED' ORDER BY id"))
			.extracting((row) -> row.get("ID"))
			.containsExactlyElementsOf(requests.subList(0, CHUNK_SIZE));
		assertThat(this.shop.count("SELECT COUNT(DISTINCT request_id) FROM erasure_audit")).isEqualTo(CHUNK_SIZE);
		assertThat(this.shop.count("SELECT COUNT(*) FROM notification_outbox WHERE message = 'ERASURE_NOTICE'"))
			.isEqualTo(CHUNK_SIZE);
		// verified with their chunk, each confirmation committed with its erasure
		assertThat(this.shop.count("SELECT COUNT(*) FROM erasure_request WHERE verified_at IS NOT NULL"))
			.isEqualTo(CHUNK_SIZE);
		assertThat(this.shop.count("SELECT COUNT(*) FROM notification_outbox WHERE message = 'ERASURE_CONFIRMATION'"))
			.isEqualTo(CHUNK_SIZE);
		assertThat(this.shop.count("SELECT COUNT(*) FROM customer")).isEqualTo(subjects - CHUNK_SIZE);

		// when
		JobExecution restarted = this.jobOperator.restart(crashed);

		// then: every subject erased, recorded, suppressed and notified once
		assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.shop.count("SELECT COUNT(*) FROM customer")).isZero();
		assertThat(this.shop.count("SELECT COUNT(*) FROM erasure_request WHERE status = 'COMPLETED'"))
			.isEqualTo(subjects);
		assertThat(this.shop.rows("""
				SELECT request_id, COUNT(*) AS entries, SUM(row_count) AS records FROM erasure_audit
				WHERE table_name = 'customer' GROUP BY request_id ORDER BY request_id"""))
			.extracting((row) -> row.get("REQUEST_ID"), (row) -> row.get("ENTRIES"), (row) -> row.get("RECORDS"))
			.containsExactlyElementsOf(requests.stream().map((request) -> Tuple.tuple(request, 1L, 1L)).toList());
		assertThat(this.shop.count("SELECT COUNT(*) FROM suppression_entry")).isEqualTo(subjects);
		assertThat(this.shop.count(
				"SELECT COUNT(*) FROM notification_outbox WHERE message = 'ERASURE_NOTICE' AND status = 'SENT'"))
			.isEqualTo(subjects);
		assertThat(this.shop.count(
				"SELECT COUNT(*) FROM notification_outbox WHERE message = 'ERASURE_CONFIRMATION' AND status = 'SENT'"))
			.isEqualTo(subjects);
		assertThat(this.shop.count("SELECT COUNT(*) FROM erasure_request WHERE verified_at IS NULL")).isZero();
	}

}
