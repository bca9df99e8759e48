package io.github.batchpushgateway.example.gdpr;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.h2.api.Trigger;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Another system writing personal data back: whenever a request becomes COMPLETED, an order
 * linked to its subject appears (a late import, say), in the same transaction. Verification
 * must catch it.
 */
public final class ReappearingOrder implements Trigger {

	private static final String NAME = "reappearing_order";

	private int subjectColumn;

	private int statusColumn;

	static void install(JdbcClient jdbc) {
		jdbc.sql("CREATE TRIGGER " + NAME + " AFTER UPDATE ON erasure_request FOR EACH ROW CALL '"
				+ ReappearingOrder.class.getName() + "'").update();
	}

	static void remove(JdbcClient jdbc) {
		jdbc.sql("DROP TRIGGER IF EXISTS " + NAME).update();
	}

	@Override
	public void init(Connection connection, String schemaName, String triggerName, String tableName, boolean before,
			int type) throws SQLException {
		this.subjectColumn = column(connection, tableName, "SUBJECT_ID");
		this.statusColumn = column(connection, tableName, "STATUS");
	}

	private static int column(Connection connection, String table, String column) throws SQLException {
		try (PreparedStatement select = connection.prepareStatement(
				"SELECT ORDINAL_POSITION FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = ? AND COLUMN_NAME = ?")) {
			select.setString(1, table);
			select.setString(2, column);
			try (ResultSet position = select.executeQuery()) {
				position.next();
				return position.getInt(1) - 1;
			}
		}
	}

	@Override
	public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
		if ("COMPLETED".equals(newRow[this.statusColumn]) && !"COMPLETED".equals(oldRow[this.statusColumn])) {
			try (PreparedStatement insert = connection.prepareStatement(
					"INSERT INTO orders (customer_id, placed_at, status, total_cents) VALUES (?, CURRENT_TIMESTAMP, 'DELIVERED', 100)")) {
				insert.setObject(1, newRow[this.subjectColumn]);
				insert.executeUpdate();
			}
		}
	}

}
