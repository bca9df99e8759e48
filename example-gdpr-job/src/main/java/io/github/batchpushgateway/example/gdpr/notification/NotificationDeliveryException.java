package io.github.batchpushgateway.example.gdpr.notification;

import java.sql.SQLException;

import org.springframework.dao.DataAccessException;

/**
 * Delivering an outbox message failed for a reason retrying will not fix, or its outbox row
 * could not be updated. Carries the outbox id and an error code only, and no cause: a
 * recipient's exception (an HTTP client's, for example) can quote the response body or the
 * URL, which echo the subject's reference, often an e-mail address, and a database
 * exception's message can quote the row. Spring Batch logs a step's failure with its causes
 * and stores it in {@code BATCH_STEP_EXECUTION.EXIT_MESSAGE}.
 */
public class NotificationDeliveryException extends RuntimeException {

	/**
	 * Longest error code, the width of {@code notification_outbox.last_error_code}.
	 */
	static final int MAX_ERROR_CODE_LENGTH = 40;

	private final long outboxId;

	private final String errorCode;

	NotificationDeliveryException(long outboxId, String errorCode) {
		super("Delivery of outbox message " + outboxId + " failed: " + errorCode);
		this.outboxId = outboxId;
		this.errorCode = errorCode;
	}

	/**
	 * Replaces a recipient's exception: only its class name is kept.
	 * @param outboxId the outbox row
	 * @param failure what the notifier threw
	 * @return the replacement
	 */
	static NotificationDeliveryException ofDelivery(long outboxId, Throwable failure) {
		return new NotificationDeliveryException(outboxId, fit(failure.getClass().getSimpleName()));
	}

	/**
	 * Replaces a database exception: only its SQL state is kept, or its class name when it
	 * has none.
	 * @param outboxId the outbox row
	 * @param failure the database exception
	 * @return the replacement
	 */
	static NotificationDeliveryException ofDatabase(long outboxId, DataAccessException failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null) {
				return new NotificationDeliveryException(outboxId, fit("SQLSTATE_" + sql.getSQLState()));
			}
		}
		return new NotificationDeliveryException(outboxId, fit(failure.getClass().getSimpleName()));
	}

	/**
	 * Cuts a code to the width of the column it is stored in.
	 * @param code an error code
	 * @return the code, at most {@value #MAX_ERROR_CODE_LENGTH} characters long
	 */
	static String fit(String code) {
		return (code.length() <= MAX_ERROR_CODE_LENGTH) ? code : code.substring(0, MAX_ERROR_CODE_LENGTH);
	}

	/**
	 * Returns the outbox row whose delivery failed.
	 * @return the outbox id
	 */
	public long getOutboxId() {
		return this.outboxId;
	}

	/**
	 * Returns what went wrong, as a code of at most 40 characters, safe to log and store.
	 * @return the code
	 */
	public String getErrorCode() {
		return this.errorCode;
	}

}
