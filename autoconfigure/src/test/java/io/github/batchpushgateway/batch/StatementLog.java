package io.github.batchpushgateway.batch;

import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCreator;
import org.springframework.jdbc.core.PreparedStatementSetter;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.core.SqlProvider;

/**
 * A {@link JdbcTemplate} that keeps the SQL of every prepared statement it runs: how many
 * statements a read costs, which in a cold process is much of its time.
 */
final class StatementLog extends JdbcTemplate {

	private final List<String> statements = new ArrayList<>();

	StatementLog(DataSource dataSource) {
		super(dataSource);
	}

	@Override
	public <T> T query(PreparedStatementCreator creator, @Nullable PreparedStatementSetter setter,
			ResultSetExtractor<T> extractor) throws DataAccessException {
		synchronized (this.statements) {
			this.statements.add((creator instanceof SqlProvider sql) ? sql.getSql() : String.valueOf(creator));
		}
		return super.query(creator, setter, extractor);
	}

	/** How many statements ran. */
	int count() {
		synchronized (this.statements) {
			return this.statements.size();
		}
	}

	/** The SQL of the statements that ran after the first {@code first}. */
	List<String> since(int first) {
		synchronized (this.statements) {
			return new ArrayList<>(this.statements.subList(first, this.statements.size()));
		}
	}

}
