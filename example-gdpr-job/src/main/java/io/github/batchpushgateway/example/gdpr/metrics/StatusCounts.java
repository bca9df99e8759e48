package io.github.batchpushgateway.example.gdpr.metrics;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * The requests and messages per status, and the requests per status holding the requester's
 * address with a reply out, as {@link StatusCountTrigger} keeps them in {@code status_count}:
 * one read of a table of a few dozen rows, whatever the number of rows counted.
 */
final class StatusCounts {

	private final Map<List<String>, Long> counts;

	private StatusCounts(Map<List<String>, Long> counts) {
		this.counts = counts;
	}

	/**
	 * Reads the counts as committed now.
	 * @param jdbc the database
	 * @return the counts
	 */
	static StatusCounts read(JdbcClient jdbc) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		Map<List<String>, Long> counts = new HashMap<>();
		jdbc.sql("SELECT table_name, status, qualifier, n FROM status_count")
			.query((rs) -> {
				counts.put(List.of(rs.getString("table_name"), rs.getString("status"), rs.getString("qualifier")),
						rs.getLong("n"));
			});
		return new StatusCounts(counts);
	}

	/**
	 * Returns the requests in a status.
	 * @param status the status
	 * @return the requests, whatever their reason code
	 */
	long requests(String status) {
		return this.counts.entrySet()
			.stream()
			.filter((count) -> count.getKey().get(0).equals("erasure_request") && count.getKey().get(1).equals(status))
			.mapToLong(Map.Entry::getValue)
			.sum();
	}

	/**
	 * Returns the requests in a status with one of some reason codes.
	 * @param status the status
	 * @param reasonCodes the reason codes
	 * @return the requests
	 */
	long requests(String status, Collection<String> reasonCodes) {
		return reasonCodes.stream().mapToLong((reason) -> count("erasure_request", status, reason)).sum();
	}

	/**
	 * Returns the messages in a status.
	 * @param status the status
	 * @param acknowledged whether those whose give-up was acknowledged, or the others
	 * @return the messages
	 */
	long messages(String status, boolean acknowledged) {
		return count("notification_outbox", status, acknowledged ? StatusCountTrigger.ACKNOWLEDGED : "");
	}

	/**
	 * Returns the requests in a status that hold the requester's address while a reply to the
	 * requester is out.
	 * @param status the status
	 * @return the requests
	 */
	long requesterContactsWithReplyOut(String status) {
		return count(StatusCountTrigger.REQUESTER_CONTACT, status, StatusCountTrigger.REPLY_OUT);
	}

	private long count(String table, String status, String qualifier) {
		return this.counts.getOrDefault(List.of(table, status, qualifier), 0L);
	}

}
