package io.github.batchpushgateway.example.gdpr.metrics;

import java.util.List;
import java.util.UUID;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * {@link RunAuditTotals} sums the audit rows of the run (restarts included) once, then adds
 * only the rows written since the last push.
 */
class RunAuditTotalsTests {

	private static final List<String> CUSTOMER_DELETED = List.of("customer", "deleted");

	private static final List<String> ORDERS_MINIMIZED = List.of("orders", "minimized");

	private final JdbcClient jdbc = database();

	private final RunAuditTotals totals = new RunAuditTotals(this.jdbc);

	@Test
	void runIsSummedWithItsEarlierExecutionsAndNothingOfOtherRuns() {
		// given: an earlier run (instance 1), and run 2 restarted: execution 2 failed, 3 goes on
		execution(1, 1);
		execution(2, 2);
		audit(1, "customer", "DELETED", 5);
		audit(2, "customer", "DELETED", 1);
		audit(2, "orders", "MINIMIZED", 2);

		// when
		var first = this.totals.of(running(3, 2));

		// then
		assertThat(first).containsOnly(entry(CUSTOMER_DELETED, 1L), entry(ORDERS_MINIMIZED, 2L));
	}

	@Test
	void laterPushAddsOnlyTheRowsWrittenSinceTheLastOne() {
		// given: a push has summed the run so far
		execution(1, 1);
		JobExecution run = running(1, 1);
		audit(1, "customer", "DELETED", 1);
		this.totals.of(run);
		// an old row changed behind the push's back (it never is): a push that re-read the run would see it
		this.jdbc.sql("UPDATE erasure_audit SET row_count = 100").update();
		audit(1, "customer", "DELETED", 1);
		audit(1, "orders", "MINIMIZED", 3);

		// when
		var next = this.totals.of(run);

		// then
		assertThat(next).containsOnly(entry(CUSTOMER_DELETED, 2L), entry(ORDERS_MINIMIZED, 3L));
	}

	@Test
	void anotherObjectOfTheSameExecutionAddsOnlyTheNewRows() {
		// given: a push has summed the run so far
		execution(1, 1);
		audit(1, "customer", "DELETED", 1);
		this.totals.of(running(1, 1));
		// an old row changed behind the push's back: a push that summed the run afresh would see it
		this.jdbc.sql("UPDATE erasure_audit SET row_count = 100").update();
		audit(1, "customer", "DELETED", 1);

		// when the same execution comes as another object (read again from the job repository)
		var next = this.totals.of(running(1, 1));

		// then
		assertThat(next).containsOnly(entry(CUSTOMER_DELETED, 2L));
	}

	@Test
	void newExecutionIsSummedAfresh() {
		// given
		execution(1, 1);
		audit(1, "customer", "DELETED", 4);
		this.totals.of(running(1, 1));
		execution(2, 2);
		audit(2, "customer", "DELETED", 1);

		// when
		var next = this.totals.of(running(2, 2));

		// then
		assertThat(next).containsOnly(entry(CUSTOMER_DELETED, 1L));
	}

	private void execution(long execution, long instance) {
		this.jdbc.sql("INSERT INTO BATCH_JOB_EXECUTION (JOB_EXECUTION_ID, JOB_INSTANCE_ID) VALUES (?, ?)")
			.params(execution, instance)
			.update();
	}

	private void audit(long execution, String table, String action, int rows) {
		this.jdbc.sql("""
				INSERT INTO erasure_audit (request_id, table_name, action, row_count, basis, recorded_at, job_execution_id)
				VALUES (1, ?, ?, ?, 'GDPR Art. 17(1)', LOCALTIMESTAMP, ?)""").params(table, action, rows, execution).update();
	}

	private static JobExecution running(long execution, long instance) {
		return new JobExecution(execution, new JobInstance(instance, "gdprErasureJob"), new JobParameters());
	}

	private static JdbcClient database() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:mem:audit-totals-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		new ResourceDatabasePopulator(new ClassPathResource("schema.sql")).execute(dataSource);
		JdbcClient jdbc = JdbcClient.create(dataSource);
		// the job repository's table, as much of it as the totals read
		jdbc.sql("CREATE TABLE BATCH_JOB_EXECUTION (JOB_EXECUTION_ID BIGINT PRIMARY KEY, JOB_INSTANCE_ID BIGINT)")
			.update();
		return jdbc;
	}

}
