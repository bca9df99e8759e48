package io.github.batchpushgateway.example.gdpr;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.h2.api.Trigger;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A database fault injected with an H2 trigger: from the n-th time the trigger's event
 * happens, the statement fails with the given SQL exception (once, or every time), the way a
 * lock timeout or a lost database would. No test hook in the production code.
 */
public final class InjectedFault implements Trigger {

	private static final String NAME = "injected_fault";

	private static final AtomicInteger calls = new AtomicInteger();

	private static volatile int failFromCall;

	private static volatile boolean once;

	private static volatile Supplier<SQLException> failure;

	private static volatile Object onlyRow;

	/**
	 * Arms the fault.
	 * @param jdbc the database
	 * @param event for example {@code BEFORE DELETE ON customer}
	 * @param failFromCall the first call that fails (1-based)
	 * @param failOnce whether only that call fails
	 * @param failure the exception to throw
	 */
	static void arm(JdbcClient jdbc, String event, int failFromCall, boolean failOnce, Supplier<SQLException> failure) {
		armForRow(jdbc, event, null, failFromCall, failOnce, failure);
	}

	/**
	 * Arms the fault for one row only: calls are counted, and fail, only when the row's first
	 * column (its id) equals the given value; other rows pass.
	 * @param jdbc the database
	 * @param event for example {@code BEFORE DELETE ON customer}
	 * @param rowId the id of the row that fails, or {@code null} for every row
	 * @param failFromCall the first call that fails (1-based)
	 * @param failOnce whether only that call fails
	 * @param failure the exception to throw
	 */
	static void armForRow(JdbcClient jdbc, String event, Object rowId, int failFromCall, boolean failOnce,
			Supplier<SQLException> failure) {
		calls.set(0);
		InjectedFault.onlyRow = rowId;
		InjectedFault.failFromCall = failFromCall;
		InjectedFault.once = failOnce;
		InjectedFault.failure = failure;
		jdbc.sql("CREATE TRIGGER " + NAME + " " + event + " FOR EACH ROW CALL '" + InjectedFault.class.getName() + "'")
			.update();
	}

	static void disarm(JdbcClient jdbc) {
		jdbc.sql("DROP TRIGGER IF EXISTS " + NAME).update();
	}

	/**
	 * Runs work while the database goes away from the given call of a trigger's event on, as
	 * a crash in the middle of a step leaves it, and disarms the fault after it.
	 */
	static <T> T crashing(JdbcClient jdbc, String event, int fromCall, Callable<T> work) throws Exception {
		arm(jdbc, event, fromCall, false, InjectedFault::databaseGone);
		try {
			return work.call();
		}
		finally {
			disarm(jdbc);
		}
	}

	static int calls() {
		return calls.get();
	}

	/**
	 * A lock timeout: H2's error 50200, translated to a transient exception.
	 * @return the exception
	 */
	static SQLException lockTimeout() {
		return new SQLException("Timeout trying to lock table (injected)", "HYT00", 50200);
	}

	/**
	 * The database went away: H2's error 90121, translated to a non-transient resource
	 * failure.
	 * @return the exception
	 */
	static SQLException databaseGone() {
		return new SQLException("Database is already closed (injected crash)", "90121", 90121);
	}

	@Override
	public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
		Object[] row = (oldRow != null) ? oldRow : newRow;
		if (onlyRow != null && (row == null || !onlyRow.equals(row[0]))) {
			return;
		}
		int call = calls.incrementAndGet();
		if (call == failFromCall || (!once && call > failFromCall)) {
			throw failure.get();
		}
	}

}
