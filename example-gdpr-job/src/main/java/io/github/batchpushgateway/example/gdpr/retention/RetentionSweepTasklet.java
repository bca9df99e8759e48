package io.github.batchpushgateway.example.gdpr.retention;

import java.time.Clock;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import io.github.batchpushgateway.example.gdpr.erasure.AuditAction;
import io.github.batchpushgateway.example.gdpr.erasure.ErasureAudit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

/**
 * Storage limitation (GDPR Art. 5(1)(e)) for what erasures had to keep:
 * <ul>
 * <li>restricted invoices whose {@code retain_until} has passed are deleted (the orders that
 * pointed at them stay, minimised);</li>
 * <li>the requester's contact address on a final request is dropped once the reply has been
 * delivered or given up (see {@link RequesterContacts}): it was kept only to send that
 * reply.</li>
 * </ul>
 * Both are recorded in the audit table; both are idempotent. They are committed
 * {@code rowsPerTransaction} rows at a time, each change with its audit row: one transaction over
 * a run's rows (52,000 at 1,000,000 demo customers) kept every changed row in H2's undo log
 * until its end. A crash leaves whole groups done and audited, and the next run sweeps the rest.
 */
public class RetentionSweepTasklet implements Tasklet {

	private static final Log logger = LogFactory.getLog(RetentionSweepTasklet.class);

	private static final String EXPIRED_INVOICES = "restricted = TRUE AND retain_until < ?";

	private final JdbcClient jdbc;

	private final ErasureAudit audit;

	private final JdbcTemplate jdbcTemplate;

	private final Clock clock;

	private final TransactionTemplate ownTransaction;

	private final int rowsPerTransaction;

	public RetentionSweepTasklet(JdbcClient jdbc, JdbcTemplate jdbcTemplate, ErasureAudit audit, Clock clock,
			PlatformTransactionManager transactionManager, int rowsPerTransaction) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		Assert.notNull(jdbcTemplate, "'jdbcTemplate' must not be null");
		Assert.notNull(audit, "'audit' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		Assert.notNull(transactionManager, "'transactionManager' must not be null");
		Assert.isTrue(rowsPerTransaction > 0, "'rowsPerTransaction' must be positive");
		this.jdbc = jdbc;
		this.jdbcTemplate = jdbcTemplate;
		this.audit = audit;
		this.clock = clock;
		// each group committed on its own, not with the step's transaction at its end
		this.ownTransaction = new TransactionTemplate(transactionManager);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.rowsPerTransaction = rowsPerTransaction;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		long execution = chunkContext.getStepContext().getStepExecution().getJobExecutionId();
		int invoices = deleteExpiredInvoices(execution);
		int contacts = dropRequesterContacts(execution);
		contribution.incrementWriteCount(invoices + contacts);
		logger.info("Retention sweep: " + invoices + " restricted invoice(s) past retention deleted, " + contacts
				+ " requester contact address(es) dropped");
		return RepeatStatus.FINISHED;
	}

	private int deleteExpiredInvoices(long execution) {
		LocalDate today = LocalDate.now(this.clock);
		List<ExpiredInvoice> expired = this.jdbc
			.sql("SELECT id, COALESCE(restricted_by_request, 0) AS request_id FROM invoice WHERE " + EXPIRED_INVOICES)
			.param(today)
			.query((rs, rowNum) -> new ExpiredInvoice(rs.getLong("id"), rs.getLong("request_id")))
			.list();
		int deleted = 0;
		for (List<ExpiredInvoice> group : groups(expired)) {
			deleted += this.ownTransaction.execute((status) -> deleteExpiredInvoices(group, today, execution));
		}
		return deleted;
	}

	private int deleteExpiredInvoices(List<ExpiredInvoice> expired, LocalDate today, long execution) {
		// By id, each an index lookup: H2 ran "invoice_id IN (SELECT id FROM invoice WHERE ...)" as
		// a pass over every order, so the sweep cost grew with the shop, not with the rows swept.
		List<Object[]> ids = expired.stream().map((invoice) -> new Object[] { invoice.id() }).toList();
		this.jdbcTemplate.batchUpdate("UPDATE orders SET invoice_id = NULL WHERE invoice_id = ?", ids,
				new int[] { Types.BIGINT });
		List<Object[]> stillExpired = expired.stream()
			.map((invoice) -> new Object[] { invoice.id(), today })
			.toList();
		int deleted = IntStream
			.of(this.jdbcTemplate.batchUpdate("DELETE FROM invoice WHERE id = ? AND " + EXPIRED_INVOICES, stillExpired,
					new int[] { Types.BIGINT, Types.DATE }))
			.sum();
		Map<Long, Integer> perRequest = new TreeMap<>();
		expired.forEach((invoice) -> perRequest.merge(invoice.requestId(), 1, Integer::sum));
		perRequest.forEach((requestId, rows) -> this.audit.record(requestId, "invoice", AuditAction.DELETED, rows,
				ErasureAudit.STORAGE_LIMITATION, execution));
		return deleted;
	}

	private int dropRequesterContacts(long execution) {
		List<Long> confirmed = new ArrayList<>();
		for (String status : RequesterContacts.ANSWERED) {
			confirmed.addAll(this.jdbc.sql("SELECT r.id FROM erasure_request r WHERE " + RequesterContacts.NO_LONGER_NEEDED_IN_STATUS)
				.param(status)
				.query(Long.class)
				.list());
		}
		for (List<Long> group : groups(confirmed)) {
			this.ownTransaction.executeWithoutResult((status) -> {
				for (long requestId : group) {
					int updated = this.jdbc.sql("UPDATE erasure_request SET requester_email = NULL WHERE id = ?")
						.param(requestId)
						.update();
					this.audit.record(requestId, "erasure_request", AuditAction.MINIMIZED, updated,
							ErasureAudit.STORAGE_LIMITATION, execution);
				}
			});
		}
		return confirmed.size();
	}

	private <T> List<List<T>> groups(List<T> rows) {
		List<List<T>> groups = new ArrayList<>();
		for (int from = 0; from < rows.size(); from += this.rowsPerTransaction) {
			groups.add(rows.subList(from, Math.min(from + this.rowsPerTransaction, rows.size())));
		}
		return groups;
	}

	private record ExpiredInvoice(long id, long requestId) {
	}

}
