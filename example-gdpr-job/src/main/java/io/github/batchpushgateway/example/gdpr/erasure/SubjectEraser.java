package io.github.batchpushgateway.example.gdpr.erasure;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Period;
import java.util.List;
import java.util.UUID;

import io.github.batchpushgateway.example.gdpr.GdprProperties;
import io.github.batchpushgateway.example.gdpr.erasure.NotificationQueue.MessageKind;
import io.github.batchpushgateway.example.gdpr.erasure.OrderContracts.ContractState;

import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * Decides and carries out one erasure request. Call it inside a transaction: everything it
 * does for one subject commits or rolls back together, and every statement is idempotent, so
 * running it again for the same request changes nothing.
 *
 * <p>Order of checks:
 * <ol>
 * <li>a request marked verified without a recorded identity verification is not acted on
 * (GDPR Art. 12(6)): {@link RequestStatus#FAILED FAILED} with {@code IDENTITY_NOT_VERIFIED}
 * until a person records it;</li>
 * <li>an active legal hold (Art. 17(3)(e)) puts the request {@link RequestStatus#ON_HOLD
 * ON_HOLD}: the records stay as the hold requires, the address is suppressed at once (Art.
 * 21(3));</li>
 * <li>an order still being performed, or in a status the job does not know (see
 * {@link OrderContracts}), defers the erasure: marketing consents are erased and the address
 * suppressed at once, because a withdrawn consent (Art. 7(3)) and an objection to direct
 * marketing (Art. 21(3)) take effect whatever the contract; the rest is
 * {@link RequestStatus#REJECTED REJECTED} with reasons and looked at again at every run;</li>
 * <li>nothing held under the subject's {@link SubjectIdentifiers identifiers} (account id,
 * addresses): {@link RequestStatus#NO_DATA_HELD NO_DATA_HELD}, and the requester is told so,
 * not told "erased";</li>
 * <li>otherwise the subject is erased: recipients' notices queued (Art. 19), invoices restricted
 * (Art. 17(3)(b), 18; VAT Directive Art. 226), orders of the account and guest orders under the
 * subject's addresses minimised (Art. 5(1)(c)), consents, addresses, disclosure records,
 * released legal holds and the customer deleted, the address suppressed, audit rows written
 * (zero-row actions too), and the request moved to {@link RequestStatus#COMPLETED COMPLETED}
 * with a conditional update, by {@link ErasureBatch}.</li>
 * </ol>
 * The requester's confirmation is not queued here: the requester is told the data was erased
 * only once verification has found none of it left (see
 * {@code ErasureVerificationTasklet}).
 */
public class SubjectEraser {

	private static final String IDENTITY_NOT_VERIFIED = "IDENTITY_NOT_VERIFIED";

	private final JdbcClient jdbc;

	private final SuppressionList suppressionList;

	private final OrderContracts contracts;

	private final NotificationQueue notifications;

	private final ErasureAudit audit;

	private final ErasureBatch erasureBatch;

	private final GdprProperties properties;

	private final Clock clock;

	public SubjectEraser(JdbcClient jdbc, SuppressionList suppressionList, OrderContracts contracts,
			NotificationQueue notifications, ErasureAudit audit, ErasureBatch erasureBatch, GdprProperties properties,
			Clock clock) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		Assert.notNull(suppressionList, "'suppressionList' must not be null");
		Assert.notNull(contracts, "'contracts' must not be null");
		Assert.notNull(notifications, "'notifications' must not be null");
		Assert.notNull(audit, "'audit' must not be null");
		Assert.notNull(erasureBatch, "'erasureBatch' must not be null");
		Assert.notNull(properties, "'properties' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.jdbc = jdbc;
		this.suppressionList = suppressionList;
		this.contracts = contracts;
		this.notifications = notifications;
		this.audit = audit;
		this.erasureBatch = erasureBatch;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Processes one request.
	 * @param requestId the request
	 * @param jobExecutionId the job execution, for the audit record
	 * @return what it led to
	 */
	public ErasureOutcome erase(long requestId, long jobExecutionId) {
		LockedRequest request = this.jdbc
			.sql("SELECT " + LockedRequest.COLUMNS + " FROM erasure_request WHERE id = ? FOR UPDATE")
			.param(requestId)
			.query(LockedRequest.MAPPER)
			.optional()
			.orElse(null);
		if (request == null || !request.isProcessable()) {
			return ErasureOutcome.NOT_PROCESSABLE;
		}
		if (!request.identityVerified()) {
			refuseUnverified(request);
			return ErasureOutcome.IDENTITY_NOT_VERIFIED;
		}
		SubjectIdentifiers subject = identifiers(request);
		if (count("SELECT COUNT(*) FROM legal_hold WHERE customer_id = ? AND released_on IS NULL", request) > 0) {
			if (!request.isDecided(RequestStatus.ON_HOLD, "LEGAL_HOLD")) {
				// the hold keeps the records, consents included, as evidence; marketing stops all the same
				suppress(request, subject, jobExecutionId);
			}
			decide(request, RequestStatus.ON_HOLD, "LEGAL_HOLD", MessageKind.HOLD_NOTICE);
			return ErasureOutcome.ON_HOLD;
		}
		ContractState contract = this.contracts.of(subject);
		if (contract != ContractState.CLOSED) {
			String reason = (contract == ContractState.OPEN) ? "OPEN_CONTRACT" : "UNKNOWN_ORDER_STATUS";
			boolean marketingErasedNow = !marketingErased(request);
			if (marketingErasedNow) {
				eraseMarketing(request, subject, jobExecutionId);
			}
			if (request.isDecided(RequestStatus.REJECTED, reason)) {
				if (marketingErasedNow) {
					// refused as a whole by an earlier version of the job: the requester learns what changed
					queueReply(request, MessageKind.PARTIAL_REFUSAL);
				}
			}
			else {
				decide(request, RequestStatus.REJECTED, reason, MessageKind.PARTIAL_REFUSAL);
			}
			return ErasureOutcome.REJECTED;
		}
		if (nothingHeld(request, subject)) {
			decide(request, RequestStatus.NO_DATA_HELD, "NO_DATA_HELD", MessageKind.NO_DATA_NOTICE);
			return ErasureOutcome.NO_DATA_HELD;
		}
		this.erasureBatch.erase(List.of(new ErasureBatch.Erasure(request, subject)), jobExecutionId);
		return ErasureOutcome.COMPLETED;
	}

	/**
	 * Art. 12(6): without a recorded verification the requester may not be the subject, and
	 * an erasure cannot be undone. Not an attempt: the request waits for a person, its
	 * deadline running and reported.
	 */
	private void refuseUnverified(LockedRequest request) {
		if (request.status().equals(RequestStatus.FAILED.name()) && IDENTITY_NOT_VERIFIED.equals(request.errorCode())) {
			return;
		}
		int updated = this.jdbc.sql("""
				UPDATE erasure_request SET status = 'FAILED', error_code = ?, decided_at = ?
				WHERE id = ? AND status = ?""")
			.params(IDENTITY_NOT_VERIFIED, LocalDateTime.now(this.clock), request.id(), request.status())
			.update();
		requireUpdated(updated, request);
	}

	private SubjectIdentifiers identifiers(LockedRequest request) {
		String accountEmail = this.jdbc.sql("SELECT email FROM customer WHERE id = ?")
			.param(request.subjectId())
			.query(String.class)
			.optional()
			.orElse(null);
		// the requester's address is the one the identity was verified for: guest orders carry only that
		return SubjectIdentifiers.of(request.subjectId(), accountEmail, request.requesterEmail());
	}

	/**
	 * Whether this request's marketing data was erased before: only once, so that a consent
	 * the customer gives again while the contract runs is theirs to give.
	 */
	private boolean marketingErased(LockedRequest request) {
		return this.jdbc.sql("SELECT COUNT(*) FROM erasure_audit WHERE request_id = ? AND basis = ?")
			.params(request.id(), ErasureAudit.MARKETING_ERASURE)
			.query(Integer.class)
			.single() > 0;
	}

	private void eraseMarketing(LockedRequest request, SubjectIdentifiers subject, long execution) {
		this.audit.record(request.id(), "marketing_consent", AuditAction.DELETED,
				delete("marketing_consent", "customer_id", subject.subjectId()), ErasureAudit.MARKETING_ERASURE,
				execution);
		suppress(request, subject, execution);
	}

	/**
	 * Nothing to erase: no account, no row linked to it, no guest order under the subject's
	 * addresses, and no earlier attempt of this request that erased something (a request
	 * whose verification failed is erased again, not answered "no data").
	 */
	private boolean nothingHeld(LockedRequest request, SubjectIdentifiers subject) {
		if (count("SELECT COUNT(*) FROM customer WHERE id = ?", request) > 0) {
			return false;
		}
		for (String table : List.of("address", "marketing_consent", "subject_disclosure", "legal_hold", "orders")) {
			if (count("SELECT COUNT(*) FROM " + table + " WHERE customer_id = ?", request) > 0) {
				return false;
			}
		}
		if (guestOrders(subject) > 0) {
			return false;
		}
		return this.jdbc.sql("SELECT COUNT(*) FROM erasure_audit WHERE request_id = ? AND row_count > 0")
			.param(request.id())
			.query(Long.class)
			.single() == 0;
	}

	private int guestOrders(SubjectIdentifiers subject) {
		if (subject.emails().isEmpty()) {
			return 0;
		}
		return this.jdbc.sql("""
				SELECT COUNT(*) FROM orders WHERE contact_email_normalized IN (:emails) AND customer_id IS NULL""")
			.param("emails", subject.emails())
			.query(Integer.class)
			.single();
	}

	private void decide(LockedRequest request, RequestStatus status, String reasonCode, MessageKind reply) {
		if (request.isDecided(status, reasonCode)) {
			return; // decided before, the requester has been told: nothing changed
		}
		LocalDateTime now = LocalDateTime.now(this.clock);
		int updated = this.jdbc.sql("""
				UPDATE erasure_request SET status = ?, reason_code = ?, error_code = NULL, decided_at = ?
				WHERE id = ? AND status = ?""")
			.params(status.name(), reasonCode, now, request.id(), request.status())
			.update();
		requireUpdated(updated, request);
		queueReply(request, reply);
	}

	/**
	 * Suppresses every address the shop held for the subject, so that neither the account's
	 * address nor a guest's is contacted again (Art. 21(3)).
	 */
	private void suppress(LockedRequest request, SubjectIdentifiers subject, long execution) {
		int suppressed = this.suppressionList.addAll(subject.emails()).size();
		this.audit.record(request.id(), "suppression_entry", AuditAction.SUPPRESSED, suppressed,
				ErasureAudit.SUPPRESSION, execution);
	}

	/**
	 * Returns the last day an invoice must be kept under a retention period that runs from
	 * the end of the year it was issued in.
	 * @param issuedOn the day the invoice was issued
	 * @param retention the retention period
	 * @return the last day of the retention period
	 */
	public static LocalDate retainUntil(LocalDate issuedOn, Period retention) {
		return LocalDate.of(issuedOn.getYear(), 12, 31).plus(retention);
	}

	private int delete(String table, String column, UUID subject) {
		return this.jdbc.sql("DELETE FROM " + table + " WHERE " + column + " = ?").param(subject).update();
	}

	private void queueReply(LockedRequest request, MessageKind reply) {
		if (request.requesterEmail() != null) {
			this.notifications.queue(request.id(), NotificationQueue.REQUESTER, reply,
					this.properties.getNotifications().getRequesterEndpoint(), request.requesterEmail());
		}
	}

	private int count(String sql, LockedRequest request) {
		return this.jdbc.sql(sql).param(request.subjectId()).query(Integer.class).single();
	}

	private static void requireUpdated(int updated, LockedRequest request) {
		if (updated != 1) {
			// someone changed the request since it was locked: retry with fresh state
			throw new ConcurrencyFailureException("Erasure request " + request.id() + " changed while being processed");
		}
	}

}
