package io.github.batchpushgateway.example.gdpr.erasure;

import java.sql.SQLException;

import org.springframework.dao.DataAccessException;

/**
 * Turns a database exception into a code that is safe to log and store: the SQL state, never
 * the message (which can quote the values of the offending row).
 */
public final class ErrorCodes {

	private ErrorCodes() {
	}

	/**
	 * Returns the code of a database exception.
	 * @param exception the exception
	 * @return a code such as {@code REFERENCED_BY_OTHER_DATA} or {@code SQLSTATE_40001}
	 */
	public static String of(DataAccessException exception) {
		for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null) {
				return switch (sql.getSQLState()) {
					case "23503" -> "REFERENCED_BY_OTHER_DATA";
					case "23505" -> "DUPLICATE_KEY";
					default -> "SQLSTATE_" + sql.getSQLState();
				};
			}
		}
		return exception.getClass().getSimpleName();
	}

}
