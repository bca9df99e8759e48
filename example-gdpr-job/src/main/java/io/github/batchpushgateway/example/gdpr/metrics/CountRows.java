package io.github.batchpushgateway.example.gdpr.metrics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * What the triggers that keep counts in a table of their own ({@link StatusCountTrigger},
 * {@link DueCountTrigger}) do alike: find the watched table's columns, and add to a count's
 * row, creating it at its first use, on the trigger's connection and so in the transaction of
 * the row change it counts.
 */
final class CountRows {

	/** H2's error code of a unique index or primary key violation. */
	private static final int DUPLICATE_KEY = 23505;

	private CountRows() {
	}

	/**
	 * Adds to a count's row, creating it when there is none. Another transaction may create the
	 * same row at the same time; then this one adds to it.
	 * @param conn the trigger's connection
	 * @param add an update adding to the row, {@code 0} rows when it does not exist
	 * @param addParams its parameters
	 * @param create an insert of the row with its first count
	 * @param createParams its parameters
	 * @throws SQLException as the statements do
	 */
	static void add(Connection conn, String add, Object[] addParams, String create, Object[] createParams)
			throws SQLException {
		if (update(conn, add, addParams) > 0) {
			return;
		}
		try {
			update(conn, create, createParams);
		}
		catch (SQLException ex) {
			if (ex.getErrorCode() != DUPLICATE_KEY) {
				throw ex;
			}
			update(conn, add, addParams);
		}
	}

	/**
	 * Runs a statement.
	 * @param conn the trigger's connection
	 * @param sql the statement
	 * @param params its parameters
	 * @return the rows changed
	 * @throws SQLException as the statement does
	 */
	static int update(Connection conn, String sql, Object... params) throws SQLException {
		try (PreparedStatement statement = conn.prepareStatement(sql)) {
			for (int i = 0; i < params.length; i++) {
				statement.setObject(i + 1, params[i]);
			}
			return statement.executeUpdate();
		}
	}

	/**
	 * Returns the position of each of a table's columns in the rows a trigger is given.
	 * @param conn the trigger's connection
	 * @param schemaName the table's schema
	 * @param tableName the table
	 * @return the positions, from 0, by column name
	 * @throws SQLException as the query does
	 */
	static Map<String, Integer> columns(Connection conn, String schemaName, String tableName) throws SQLException {
		Map<String, Integer> columns = new HashMap<>();
		try (PreparedStatement statement = conn.prepareStatement("""
				SELECT COLUMN_NAME, ORDINAL_POSITION FROM INFORMATION_SCHEMA.COLUMNS
				WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?""")) {
			statement.setString(1, schemaName);
			statement.setString(2, tableName);
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					// a row holds the table's columns in their order, from 0
					columns.put(rs.getString(1), rs.getInt(2) - 1);
				}
			}
		}
		return columns;
	}

	/**
	 * Returns a column's position.
	 * @param columns the table's columns
	 * @param column the column needed
	 * @param counts the counts that need it, for the message
	 * @return its position
	 * @throws SQLException when the table has no such column
	 */
	static int position(Map<String, Integer> columns, String column, String counts) throws SQLException {
		Integer position = columns.get(column);
		if (position == null) {
			throw new SQLException(counts + " needs the column " + column);
		}
		return position;
	}

}
