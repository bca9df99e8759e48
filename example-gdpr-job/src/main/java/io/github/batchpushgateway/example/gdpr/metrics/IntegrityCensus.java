package io.github.batchpushgateway.example.gdpr.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.batchpushgateway.example.gdpr.UnknownValues;
import io.github.batchpushgateway.example.gdpr.erasure.OrderContracts;
import io.github.batchpushgateway.example.gdpr.erasure.RequestStatus;
import io.github.batchpushgateway.example.gdpr.erasure.SuppressionList;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * Counts what the job would otherwise trust without checking: orders and requests in a status
 * it does not know (an order counts as open, a request is processed by nobody), and
 * suppression entries made under a key that is not configured. Each count steps through the
 * distinct values the column's index holds ({@link UnknownValues}) instead of reading the
 * column, so it is taken at every push: a status written by another system shows within the
 * run, and the cost stays that of a few index lookups however many orders the shop has.
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
		return new UnknownValues(this.jdbc, table, "status", known).count();
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
