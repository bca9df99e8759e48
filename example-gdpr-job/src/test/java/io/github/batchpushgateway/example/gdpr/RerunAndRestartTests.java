package io.github.batchpushgateway.example.gdpr;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.batchpushgateway.example.gdpr.Shop.Customer;
import io.github.batchpushgateway.example.gdpr.job.InterruptedRunRecovery;
import io.github.batchpushgateway.example.gdpr.metrics.ErasureRunStatistics;
import io.github.batchpushgateway.example.gdpr.metrics.ErasureRunStatistics.Outcome;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every write is idempotent and every step selects its work from the database, so running
 * the job again changes nothing, and a failed run restarted goes on where it stopped.
 */
class RerunAndRestartTests extends ErasureJobTestSupport {

	@Autowired
	JobOperator jobOperator;

	@Autowired
	ErasureRunStatistics statistics;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	InterruptedRunRecovery interruptedRunRecovery;

	@Test
	void secondRunChangesNothing() throws Exception {
		// given: one subject of each kind, after a first run
		Customer erased = this.shop.customer();
		this.shop.deliveredOrder(erased, this.shop.today().plusYears(5));
		this.shop.disclosure(erased, "ad-network");
		this.shop.verifiedRequest(erased);
		Customer held = this.shop.customer();
		this.shop.legalHold(held, null);
		this.shop.verifiedRequest(held);
		Customer buyer = this.shop.customer();
		this.shop.openOrder(buyer);
		this.shop.verifiedRequest(buyer);
		Customer unverified = this.shop.customer();
		this.shop.request(unverified, "RECEIVED", this.shop.now().minusDays(3), null);
		assertThat(runJob().getStatus()).isEqualTo(BatchStatus.COMPLETED);
		Map<String, List<Map<String, Object>>> afterFirstRun = this.shop.dump();

		// when
		JobExecution second = runJob();

		// then
		assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.shop.dump()).isEqualTo(afterFirstRun);
		assertThat(Executions.step(second, "eraseSubjects").getWriteCount())
			.as("the held and the deferred request, evaluated again")
			.isEqualTo(2);
		assertThat(this.statistics.snapshot()).containsEntry(Outcome.COMPLETED, 0L)
			.containsEntry(Outcome.ON_HOLD, 1L)
			.containsEntry(Outcome.REJECTED, 1L);
	}

	@Test
	void crashInTheMiddleOfTheEraseStepThenRestartErasesEverySubjectExactlyOnce() throws Exception {
		// given: ten verified requests; the database goes away while the fourth subject is erased
		List<Long> requests = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			Customer customer = this.shop.customer();
			this.shop.deliveredOrder(customer, this.shop.today().plusYears(3));
			this.shop.disclosure(customer, "payment-provider");
			requests.add(this.shop.request(customer, "VERIFIED", this.shop.now().minusDays(20 - i), null));
		}
		InjectedFault.arm(this.jdbc, "BEFORE DELETE ON customer", 4, false, InjectedFault::databaseGone);
		JobExecution crashed;
		try {
			crashed = runJob();
		}
		finally {
			InjectedFault.disarm(this.jdbc);
		}
		assertThat(crashed.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(Executions.step(crashed, "eraseSubjects").getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(this.shop.count("SELECT COUNT(*) FROM erasure_request WHERE status = 'COMPLETED'")).isEqualTo(3);
		assertThat(this.shop.count("SELECT COUNT(DISTINCT request_id) FROM erasure_audit")).isEqualTo(3);

		// when
		JobExecution restarted = this.jobOperator.restart(crashed);

		// then
		assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(restarted.getJobInstance().getInstanceId()).isEqualTo(crashed.getJobInstance().getInstanceId());
		assertThat(this.shop.count("SELECT COUNT(*) FROM customer")).isZero();
		assertThat(this.shop.rows("SELECT id, status FROM erasure_request ORDER BY id"))
			.extracting((row) -> row.get("STATUS"))
			.containsOnly("COMPLETED")
			.hasSize(10);
		for (String erasedOnce : List.of("customer", "suppression_entry", "invoice", "orders", "address")) {
			assertThat(this.shop.rows("""
					SELECT request_id, COUNT(*) AS entries, SUM(row_count) AS records FROM erasure_audit
					WHERE table_name = ? GROUP BY request_id ORDER BY request_id""", erasedOnce))
				.as(erasedOnce)
				.extracting((row) -> row.get("REQUEST_ID"), (row) -> row.get("ENTRIES"), (row) -> row.get("RECORDS"))
				.containsExactlyElementsOf(requests.stream()
					.map((request) -> org.assertj.core.groups.Tuple.tuple(request, 1L, 1L))
					.toList());
		}
		assertThat(this.shop.count("SELECT COUNT(*) FROM suppression_entry")).isEqualTo(10);
		assertThat(this.shop.count("SELECT COUNT(*) FROM notification_outbox WHERE status = 'SENT'")).isEqualTo(20);
		assertThat(this.statistics.snapshot()).as("counts carried over from the crashed execution")
			.containsEntry(Outcome.COMPLETED, 10L);
		assertThat(gateway().metrics()
			.require("gdpr_erasure_last_run_records", Map.of("job", jobName(), "table", "customer", "action", "deleted")))
			.isEqualTo(10);
		assertThat(gateway().metrics().require("gdpr_erasure_last_run_requests",
				Map.of("job", jobName(), "outcome", "completed")))
			.isEqualTo(10);
	}

	@Test
	void crashInTheMiddleOfAChunkRollsTheWholeChunkBackAndTheRestartErasesItsSubjectsOnce() throws Exception {
		// given: seven verified requests, three per chunk; the database goes away while the fifth
		// subject is erased, after the fourth was erased in the same chunk's transaction
		List<Long> requests = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			Customer customer = this.shop.customer();
			this.shop.disclosure(customer, "payment-provider");
			requests.add(this.shop.request(customer, "VERIFIED", this.shop.now().minusDays(20 - i), null));
		}
		InjectedFault.arm(this.jdbc, "BEFORE DELETE ON customer", 5, false, InjectedFault::databaseGone);
		JobExecution crashed;
		try {
			crashed = runJob();
		}
		finally {
			InjectedFault.disarm(this.jdbc);
		}

		// then: the first chunk is committed; of the second nothing, the fourth subject included
		assertThat(crashed.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(this.shop.rows("SELECT id FROM erasure_request WHERE status = 'COMPLETED' ORDER BY id"))
			.extracting((row) -> row.get("ID"))
			.containsExactlyElementsOf(requests.subList(0, 3));
		assertThat(this.shop.count("SELECT COUNT(*) FROM erasure_audit WHERE request_id = ?", requests.get(3)))
			.isZero();
		assertThat(this.shop.count("SELECT COUNT(*) FROM notification_outbox WHERE request_id = ?", requests.get(3)))
			.isZero();
		assertThat(this.shop.count("SELECT COUNT(*) FROM customer")).isEqualTo(4);

		// when
		JobExecution restarted = this.jobOperator.restart(crashed);

		// then: every subject erased, each recorded and notified once
		assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.shop.count("SELECT COUNT(*) FROM customer")).isZero();
		assertThat(this.shop.rows("""
				SELECT request_id, COUNT(*) AS entries, SUM(row_count) AS records FROM erasure_audit
				WHERE table_name = 'customer' GROUP BY request_id ORDER BY request_id"""))
			.extracting((row) -> row.get("REQUEST_ID"), (row) -> row.get("ENTRIES"), (row) -> row.get("RECORDS"))
			.containsExactlyElementsOf(requests.stream()
				.map((request) -> org.assertj.core.groups.Tuple.tuple(request, 1L, 1L))
				.toList());
		assertThat(this.shop.count(
				"SELECT COUNT(*) FROM notification_outbox WHERE message = 'ERASURE_NOTICE' AND status = 'SENT'"))
			.isEqualTo(7);
		assertThat(this.statistics.snapshot()).containsEntry(Outcome.COMPLETED, 7L);
	}

	@Test
	void executionLeftRunningByAKilledProcessIsMarkedFailedAndTheNextRunDoesItsWork() throws Exception {
		// given: what a process killed in the middle of a run leaves behind
		Customer customer = this.shop.customer();
		long request = this.shop.verifiedRequest(customer);
		JobParameters parameters = new JobParametersBuilder().addLong("run.id", 900L + this.shop.count(
				"SELECT COUNT(*) FROM BATCH_JOB_INSTANCE")).toJobParameters();
		JobInstance instance = this.jobRepository.createJobInstance(jobName(), parameters);
		JobExecution killed = this.jobRepository.createJobExecution(instance, parameters, new ExecutionContext());
		killed.setStatus(BatchStatus.STARTED);
		killed.setStartTime(LocalDateTime.now());
		this.jobRepository.update(killed);

		// when the next process starts
		this.interruptedRunRecovery.run(null);
		JobExecution next = runJob();

		// then
		assertThat(this.jobRepository.getJobExecution(killed.getId()).getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(this.jobRepository.findRunningJobExecutions(jobName())).isEmpty();
		assertThat(next.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.shop.row("erasure_request", request)).containsEntry("STATUS", "COMPLETED");
	}

}
