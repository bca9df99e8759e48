package io.github.batchpushgateway.example.gdpr.retention;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;

import io.github.batchpushgateway.example.gdpr.erasure.AuditAction;
import io.github.batchpushgateway.example.gdpr.erasure.ErasureAudit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
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
 * Both are recorded in the audit table; both are idempotent.
 */
public class RetentionSweepTasklet implements Tasklet {

	private static final Log logger = LogFactory.getLog(RetentionSweepTasklet.class);

	private static final String EXPIRED_INVOICES = "restricted = TRUE AND retain_until < ?";

	private final JdbcClient jdbc;

	private final ErasureAudit audit;

	private final Clock clock;

	public RetentionSweepTasklet(JdbcClient jdbc, ErasureAudit audit, Clock clock) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		Assert.notNull(audit, "'audit' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.jdbc = jdbc;
		this.audit = audit;
		this.clock = clock;
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
		List<PerRequest> expired = this.jdbc.sql("""
				SELECT COALESCE(restricted_by_request, 0) AS request_id, COUNT(*) AS invoices FROM invoice
				WHERE %s GROUP BY COALESCE(restricted_by_request, 0)""".formatted(EXPIRED_INVOICES))
			.param(today)
			.query((rs, rowNum) -> new PerRequest(rs.getLong("request_id"), rs.getInt("invoices")))
			.list();
		if (expired.isEmpty()) {
			return 0;
		}
		this.jdbc.sql("UPDATE orders SET invoice_id = NULL WHERE invoice_id IN (SELECT id FROM invoice WHERE %s)"
			.formatted(EXPIRED_INVOICES)).param(today).update();
		int deleted = this.jdbc.sql("DELETE FROM invoice WHERE " + EXPIRED_INVOICES).param(today).update();
		expired.forEach((perRequest) -> this.audit.record(perRequest.requestId(), "invoice", AuditAction.DELETED,
				perRequest.rows(), ErasureAudit.STORAGE_LIMITATION, execution));
		return deleted;
	}

	private int dropRequesterContacts(long execution) {
		List<Long> confirmed = this.jdbc.sql("SELECT r.id FROM erasure_request r WHERE " + RequesterContacts.NO_LONGER_NEEDED)
			.query(Long.class)
			.list();
		for (long requestId : confirmed) {
			int updated = this.jdbc.sql("UPDATE erasure_request SET requester_email = NULL WHERE id = ?")
				.param(requestId)
				.update();
			this.audit.record(requestId, "erasure_request", AuditAction.MINIMIZED, updated,
					ErasureAudit.STORAGE_LIMITATION, execution);
		}
		return confirmed.size();
	}

	private record PerRequest(long requestId, int rows) {
	}

}
