package io.github.batchpushgateway.example.gdpr.metrics;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * When the open erasure requests (awaiting identity, verified, failed) were received and are
 * due, for the deadline metrics. Each value is read one open status at a time, as the first
 * entry of an index on {@code (status, ...)} or the range of the overdue ones: H2 walks every
 * entry of {@code status IN (...)}, whatever else the condition says, and a {@code MIN} over a
 * range too, so at 1,000,000 customers (45,000 verified requests at a run's start) the same
 * values written as one statement each cost some 430 ms per push, and grew with every request
 * waiting.
 */
final class OpenRequestDeadlines {

	/** The statuses of a request still waiting for an answer. */
	static final List<String> OPEN = List.of("RECEIVED", "VERIFIED", "FAILED");

	static final String OLDEST_RECEIVED = """
			SELECT received_at FROM erasure_request WHERE status = ?
			ORDER BY status, received_at FETCH FIRST ROW ONLY""";

	static final String NEXT_DUE = """
			SELECT due_on FROM erasure_request WHERE status = ? AND due_on >= ?
			ORDER BY status, due_on FETCH FIRST ROW ONLY""";

	static final String OVERDUE = "SELECT COUNT(*) FROM erasure_request WHERE status = ? AND due_on < ?";

	private final JdbcClient jdbc;

	OpenRequestDeadlines(JdbcClient jdbc) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		this.jdbc = jdbc;
	}

	/**
	 * Returns how many open requests are past their deadline.
	 * @param today the current date
	 * @return the overdue requests
	 */
	long overdue(LocalDate today) {
		long overdue = 0;
		for (String status : OPEN) {
			overdue += this.jdbc.sql(OVERDUE).params(status, today).query(Long.class).single();
		}
		return overdue;
	}

	/**
	 * Returns when the oldest open request was received.
	 * @return the time, or {@code null} when none is open
	 */
	@Nullable LocalDateTime oldestReceived() {
		return OPEN.stream()
			.map((status) -> this.jdbc.sql(OLDEST_RECEIVED).param(status).query(LocalDateTime.class).optional())
			.flatMap(Optional::stream)
			.min(LocalDateTime::compareTo)
			.orElse(null);
	}

	/**
	 * Returns the earliest deadline among open requests not overdue yet.
	 * @param today the current date
	 * @return the deadline, or {@code null} when there is none
	 */
	@Nullable LocalDate nextDeadline(LocalDate today) {
		return OPEN.stream()
			.map((status) -> this.jdbc.sql(NEXT_DUE).params(status, today).query(LocalDate.class).optional())
			.flatMap(Optional::stream)
			.filter(Objects::nonNull)
			.min(LocalDate::compareTo)
			.orElse(null);
	}

}
