package io.github.batchpushgateway.example.gdpr.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.batchpushgateway.example.gdpr.erasure.OrderContracts;
import io.github.batchpushgateway.example.gdpr.erasure.RequestStatus;
import io.github.batchpushgateway.example.gdpr.erasure.SuppressionList;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * Counts what the job would otherwise trust without checking: orders and requests in a status
 * it does not know (an order counts as open, a request is processed by nobody), and
 * suppression entries made under a key that is not configured. Each count reads a whole
 * (indexed) column, so it is taken once when a run starts and once when it ends, not at every
 * push.
 */
public final class IntegrityCensus {

	private static final Set<String> REQUEST_STATUSES = Arrays.stream(RequestStatus.values())
		.map(RequestStatus::name)
		.collect(Collectors.toSet());

	private final JdbcClient jdbc;

	private final OrderContracts contracts;

	private final SuppressionList suppressionList;

	public IntegrityCensus(JdbcClient jdbc, OrderContracts contracts, SuppressionList suppressionList) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		Assert.notNull(contracts, "'contracts' must not be null");
		Assert.notNull(suppressionList, "'suppressionList' must not be null");
		this.jdbc = jdbc;
		this.contracts = contracts;
		this.suppressionList = suppressionList;
	}

	/**
	 * Takes the census.
	 * @return the counts
	 */
	public Result take() {
		Map<String, Long> unknown = new LinkedHashMap<>();
		unknown.put("erasure_request", unknownStatuses("erasure_request", REQUEST_STATUSES));
		unknown.put("orders", unknownStatuses("orders", this.contracts.knownStatuses()));
		return new Result(unknown, this.suppressionList.entriesWithoutKey());
	}

	private long unknownStatuses(String table, Set<String> known) {
		return this.jdbc.sql("SELECT status, COUNT(*) AS records FROM " + table + " GROUP BY status")
			.query((rs, rowNum) -> known.contains(rs.getString("status")) ? 0L : rs.getLong("records"))
			.list()
			.stream()
			.mapToLong(Long::longValue)
			.sum();
	}

	/**
	 * What the census found.
	 * @param unknownStatuses rows in a status the job does not know, by table
	 * @param suppressionEntriesWithoutKey suppression entries made under a key that is not
	 * configured
	 */
	public record Result(Map<String, Long> unknownStatuses, long suppressionEntriesWithoutKey) {
	}

}
