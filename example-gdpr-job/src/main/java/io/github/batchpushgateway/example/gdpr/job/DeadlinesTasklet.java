package io.github.batchpushgateway.example.gdpr.job;

import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.github.batchpushgateway.example.gdpr.erasure.ResponseDeadlines;
import io.github.batchpushgateway.example.gdpr.erasure.ResponseDeadlines.Deadlines;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * First step: computes the Art. 12(3) deadlines of every open request (see
 * {@link ResponseDeadlines}). It needs nothing but the requests, and runs before anything
 * else can refuse the run, so deadlines and the metrics built on them are right even when
 * the job cannot erase anything (no suppression key, say): a request two months old shows as
 * overdue whatever else is wrong. Computing them again changes nothing unless an extension
 * was recorded since.
 */
public final class DeadlinesTasklet implements Tasklet {

	private static final Log logger = LogFactory.getLog(DeadlinesTasklet.class);

	private final JdbcClient jdbc;

	private final JdbcTemplate jdbcTemplate;

	public DeadlinesTasklet(JdbcClient jdbc, JdbcTemplate jdbcTemplate) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		Assert.notNull(jdbcTemplate, "'jdbcTemplate' must not be null");
		this.jdbc = jdbc;
		this.jdbcTemplate = jdbcTemplate;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		List<OpenRequest> open = this.jdbc.sql("""
				SELECT id, received_at, extension_reason, extension_notified_on, deadline, extended_deadline, due_on
				FROM erasure_request WHERE status IN ('RECEIVED', 'VERIFIED', 'ON_HOLD', 'FAILED')""")
			.query((rs, rowNum) -> new OpenRequest(rs.getLong("id"),
					rs.getObject("received_at", LocalDateTime.class).toLocalDate(),
					rs.getString("extension_reason"), rs.getObject("extension_notified_on", LocalDate.class),
					rs.getObject("deadline", LocalDate.class),
					rs.getObject("extended_deadline", LocalDate.class), rs.getObject("due_on", LocalDate.class)))
			.list();
		List<Object[]> changed = new ArrayList<>();
		for (OpenRequest request : open) {
			contribution.incrementReadCount();
			Deadlines deadlines = ResponseDeadlines.compute(request.receivedOn(), request.extensionNotifiedOn(),
					request.extensionReason());
			if ((request.extensionNotifiedOn() != null || request.extensionReason() != null)
					&& deadlines.extendedDeadline() == null) {
				// the reason is a code, never free text about the person, but it is not logged anyway
				logger.warn("Extension of erasure request " + request.id()
						+ " is not valid (Art. 12(3) needs notice with reasons within the first month): deadline stays "
						+ deadlines.deadline());
			}
			if (!request.has(deadlines)) {
				changed.add(new Object[] { deadlines.deadline(), deadlines.extendedDeadline(), deadlines.dueOn(),
						request.id() });
			}
		}
		// one JDBC batch: every open request of a large shop changes on its first run
		this.jdbcTemplate.batchUpdate(
				"UPDATE erasure_request SET deadline = ?, extended_deadline = ?, due_on = ? WHERE id = ?", changed,
				new int[] { Types.DATE, Types.DATE, Types.DATE, Types.BIGINT });
		int updated = changed.size();
		contribution.incrementWriteCount(updated);
		logger.info("Deadlines of " + open.size() + " open request(s) checked, " + updated + " set");
		return RepeatStatus.FINISHED;
	}

	private record OpenRequest(long id, LocalDate receivedOn, @Nullable String extensionReason,
			@Nullable LocalDate extensionNotifiedOn,
			@Nullable LocalDate deadline, @Nullable LocalDate extendedDeadline, @Nullable LocalDate dueOn) {

		boolean has(Deadlines deadlines) {
			return Objects.equals(this.deadline, deadlines.deadline())
					&& Objects.equals(this.extendedDeadline, deadlines.extendedDeadline())
					&& Objects.equals(this.dueOn, deadlines.dueOn());
		}

	}

}
