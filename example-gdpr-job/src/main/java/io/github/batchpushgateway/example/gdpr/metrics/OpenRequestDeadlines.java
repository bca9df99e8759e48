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
 * due, for the deadline metrics. The oldest receipt and the next deadline are read one open
 * status at a time, as the first entry of an index on {@code (status, ...)}, and the overdue
 * ones from their counts per due day ({@link DueCounts}): H2 walks every
 * entry of {@code status IN (...)}, whatever else the condition says, and a {@code MIN} over a
 * range too, so at 1,000,000 customers (45,000 verified requests at a run's start) the same
 * values written as one statement each cost some 430 ms per push, and grew with every request
 * waiting.
 */
final class OpenRequestDeadlines {

	/**
	 * The statuses of a request still waiting for an answer; {@link DueCountTrigger} counts
	 * the requests in them per due day (a change here needs those counts made again).
	 */
	static final List<String> OPEN = List.of("RECEIVED", "VERIFIED", "FAILED");

	static final String OLDEST_RECEIVED = """
			SELECT received_at FROM erasure_request WHERE status = ?
			ORDER BY status, received_at FETCH FIRST ROW ONLY""";

	static final String NEXT_DUE = """
			SELECT due_on FROM erasure_request WHERE status = ? AND due_on >= ?
			ORDER BY status, due_on FETCH FIRST ROW ONLY""";

	private final JdbcClient jdbc;

	private final DueCounts dueCounts;

	OpenRequestDeadlines(JdbcClient jdbc) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		this.jdbc = jdbc;
		this.dueCounts = new DueCounts(jdbc);
	}

	/**
	 * Returns how many open requests are past their deadline: the requests counted per due day
	 * ({@link DueCountTrigger}) on the days before today, where a range of the requests read
	 * each overdue one (7,500 in the demo's shop of 1,000,000 customers).
	 * @param today the current date
	 * @return the overdue requests
	 */
	long overdue(LocalDate today) {
		return this.dueCounts.before(DueCountTrigger.OPEN_REQUEST, today);
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
