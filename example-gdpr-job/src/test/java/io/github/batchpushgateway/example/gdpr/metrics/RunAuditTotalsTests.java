package io.github.batchpushgateway.example.gdpr.metrics;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import io.github.batchpushgateway.example.gdpr.KeptAuditTotals;
import io.github.batchpushgateway.example.gdpr.erasure.AuditAction;
import io.github.batchpushgateway.example.gdpr.erasure.ErasureAudit;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * {@link RunAuditTotals} reads the run's audited rows (restarts included) from the totals
 * {@link ErasureAudit} keeps with them, in their transaction, a few rows per execution.
 */
class RunAuditTotalsTests {

	private static final List<String> CUSTOMER_DELETED = List.of("customer", "deleted");

	private static final List<String> ORDERS_MINIMIZED = List.of("orders", "minimized");

	private final JdbcDataSource dataSource = dataSource();

	private final JdbcClient jdbc = database(this.dataSource);

	private final ErasureAudit audit = new ErasureAudit(new JdbcTemplate(this.dataSource),
			Clock.fixed(Instant.parse("2026-03-02T10:00:00Z"), ZoneOffset.UTC));

	private final RunAuditTotals totals = new RunAuditTotals(this.jdbc);

	@Test
	void runIsSummedWithItsEarlierExecutionsAndNothingOfOtherRuns() {
		// given: an earlier run (instance 1), and run 2 restarted: execution 2 failed, 3 goes on
		execution(1, 1);
		execution(2, 2);
		audit(1, "customer", AuditAction.DELETED, 5);
		audit(2, "customer", AuditAction.DELETED, 1);
		audit(2, "orders", AuditAction.MINIMIZED, 2);
		audit(3, "orders", AuditAction.MINIMIZED, 1);

		// when
		var first = this.totals.of(running(3, 2));

		// then
		assertThat(first).containsOnly(entry(CUSTOMER_DELETED, 1L), entry(ORDERS_MINIMIZED, 3L));
	}

	@Test
	void laterPushSeesTheRowsWrittenSinceTheLastOne() {
		// given: a push has read the run so far
		execution(1, 1);
		JobExecution run = running(1, 1);
		audit(1, "customer", AuditAction.DELETED, 1);
		this.totals.of(run);
		audit(1, "customer", AuditAction.DELETED, 1);
		this.audit.batched(() -> {
			this.audit.record(1, "orders", AuditAction.MINIMIZED, 2, ErasureAudit.MINIMISATION, 1);
			this.audit.record(2, "orders", AuditAction.MINIMIZED, 1, ErasureAudit.MINIMISATION, 1);
			this.audit.record(2, "customer", AuditAction.DELETED, 1, ErasureAudit.ERASURE, 1);
		});

		// when
		var next = this.totals.of(run);

		// then
		assertThat(next).containsOnly(entry(CUSTOMER_DELETED, 3L), entry(ORDERS_MINIMIZED, 3L));
	}

	@Test
	void newExecutionIsReadAfresh() {
		// given
		execution(1, 1);
		audit(1, "customer", AuditAction.DELETED, 4);
		this.totals.of(running(1, 1));
		execution(2, 2);
		audit(2, "customer", AuditAction.DELETED, 1);

		// when
		var next = this.totals.of(running(2, 2));

		// then
		assertThat(next).containsOnly(entry(CUSTOMER_DELETED, 1L));
	}

	@Test
	void totalsAreTheAuditRowsWrittenOneByOneAndInBatches() {
		// when
		audit(1, "customer", AuditAction.DELETED, 1);
		audit(1, "customer", AuditAction.DELETED, 0);
		this.audit.batched(() -> {
			for (int request = 0; request < 50; request++) {
				this.audit.record(request, "customer", AuditAction.DELETED, 1, ErasureAudit.ERASURE, 1);
				this.audit.record(request, "orders", AuditAction.MINIMIZED, request % 3, ErasureAudit.MINIMISATION, 1);
				this.audit.record(request, "orders", AuditAction.MINIMIZED, 1, ErasureAudit.MINIMISATION, 2);
			}
		});

		// then
		KeptAuditTotals.assertEqualToAuditRows(this.jdbc);
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM erasure_audit_total").query(Long.class).single()).isEqualTo(3);
	}

	@Test
	void rolledBackTransactionTakesItsTotalsBackWithItsRows() {
		// given
		audit(1, "customer", AuditAction.DELETED, 1);
		TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(this.dataSource));

		// when: a chunk's batch and a single row, rolled back
		transaction.executeWithoutResult((status) -> {
			this.audit.batched(() -> this.audit.record(2, "customer", AuditAction.DELETED, 1, ErasureAudit.ERASURE, 1));
			audit(3, "orders", AuditAction.MINIMIZED, 1);
			status.setRollbackOnly();
		});

		// then
		KeptAuditTotals.assertEqualToAuditRows(this.jdbc);
		assertThat(this.totals.of(running(1, 1))).containsOnly(entry(CUSTOMER_DELETED, 1L));
	}

	@Test
	void pushReadsTheRunsTotalsByTheirKeyNotTheAuditRows() {
		// given: a year of daily runs
		for (long execution = 1; execution <= 365; execution++) {
			audit(execution, "customer", AuditAction.DELETED, 1);
			audit(execution, "orders", AuditAction.MINIMIZED, 1);
		}

		// when
		String plan = this.jdbc.sql("EXPLAIN ANALYZE " + RunAuditTotals.RUN_TOTALS.replace(":executions", "7, 8"))
			.query(String.class)
			.single()
			.replaceAll("\\s+", " ");

		// then: the two executions' rows, found by the primary key
		assertThat(plan).contains("PRIMARY_KEY").contains("/* scanCount: 5 */").doesNotContain("ERASURE_AUDIT ");
	}

	private void audit(long execution, String table, AuditAction action, int rows) {
		this.audit.record(1, table, action, rows, ErasureAudit.ERASURE, execution);
	}

	private void execution(long execution, long instance) {
		this.jdbc.sql("INSERT INTO BATCH_JOB_EXECUTION (JOB_EXECUTION_ID, JOB_INSTANCE_ID) VALUES (?, ?)")
			.params(execution, instance)
			.update();
	}

	private static JobExecution running(long execution, long instance) {
		return new JobExecution(execution, new JobInstance(instance, "gdprErasureJob"), new JobParameters());
	}

	private static JdbcDataSource dataSource() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:mem:audit-totals-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		return dataSource;
	}

	private static JdbcClient database(JdbcDataSource dataSource) {
		new ResourceDatabasePopulator(new ClassPathResource("schema.sql")).execute(dataSource);
		JdbcClient jdbc = JdbcClient.create(dataSource);
		// the job repository's table, as much of it as the totals read
		jdbc.sql("CREATE TABLE BATCH_JOB_EXECUTION (JOB_EXECUTION_ID BIGINT PRIMARY KEY, JOB_INSTANCE_ID BIGINT)")
			.update();
		return jdbc;
	}

}
