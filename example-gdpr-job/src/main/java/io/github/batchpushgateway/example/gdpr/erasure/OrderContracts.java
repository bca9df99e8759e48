package io.github.batchpushgateway.example.gdpr.erasure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.github.batchpushgateway.example.gdpr.GdprProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * Tells whether a subject still has a contract being performed: an order, linked to the
 * account or a guest order under one of the subject's addresses, in an open status. Statuses
 * are read as an allow-list (fail safe): one in neither {@code gdpr.orders.open-statuses} nor
 * {@code gdpr.orders.closed-statuses} counts as open, because wiping the shipping address of
 * an order being delivered cannot be undone, and it is reported so that a person maps it.
 */
public final class OrderContracts {

	private static final Log logger = LogFactory.getLog(OrderContracts.class);

	private final JdbcClient jdbc;

	private final GdprProperties.Orders orders;

	public OrderContracts(JdbcClient jdbc, GdprProperties properties) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		Assert.notNull(properties, "'properties' must not be null");
		this.jdbc = jdbc;
		this.orders = properties.getOrders();
		Set<String> both = new HashSet<>(this.orders.getOpenStatuses());
		both.retainAll(this.orders.getClosedStatuses());
		Assert.isTrue(both.isEmpty(), () -> "gdpr.orders.open-statuses and gdpr.orders.closed-statuses both name "
				+ both + ": a status is either open or closed");
	}

	/**
	 * Returns the state of the subject's contracts.
	 * @param subject the subject's identifiers
	 * @return {@link ContractState#CLOSED} when every order is in a known closed status
	 */
	public ContractState of(SubjectIdentifiers subject) {
		Set<String> statuses = statuses(List.of(subject)).get(subject.subjectId());
		List<String> unknown = statuses.stream().filter((status) -> !isKnown(status)).sorted().toList();
		if (!unknown.isEmpty()) {
			// a status is a code of the shop, never personal data
			logger.warn("Order status(es) " + unknown + " are in neither gdpr.orders.open-statuses nor "
					+ "gdpr.orders.closed-statuses: counted as open, nothing erased that the order may need");
			return ContractState.UNKNOWN_STATUS;
		}
		return statuses.stream().anyMatch(this.orders.getOpenStatuses()::contains) ? ContractState.OPEN
				: ContractState.CLOSED;
	}

	/**
	 * Returns the statuses of the orders of several subjects, with two queries for all of
	 * them: orders linked to each account, and guest orders under each subject's addresses.
	 * @param subjects the subjects' identifiers
	 * @return the distinct statuses of each subject's orders, by account id, empty for none
	 */
	public Map<UUID, Set<String>> statuses(List<SubjectIdentifiers> subjects) {
		Map<UUID, Set<String>> statuses = new HashMap<>();
		Map<String, List<UUID>> byEmail = new HashMap<>();
		for (SubjectIdentifiers subject : subjects) {
			statuses.put(subject.subjectId(), new HashSet<>());
			subject.emails()
				.forEach((email) -> byEmail.computeIfAbsent(email, (key) -> new ArrayList<>()).add(subject.subjectId()));
		}
		if (statuses.isEmpty()) {
			return statuses;
		}
		this.jdbc.sql("SELECT DISTINCT customer_id, status FROM orders WHERE customer_id IN (:subjects)")
			.param("subjects", statuses.keySet())
			.query((rs) -> {
				statuses.get(rs.getObject("customer_id", UUID.class)).add(rs.getString("status"));
			});
		if (!byEmail.isEmpty()) {
			this.jdbc.sql("""
					SELECT DISTINCT contact_email_normalized, status FROM orders
					WHERE contact_email_normalized IN (:emails) AND customer_id IS NULL""")
				.param("emails", byEmail.keySet())
				.query((rs) -> {
					String status = rs.getString("status");
					byEmail.get(rs.getString("contact_email_normalized"))
						.forEach((subject) -> statuses.get(subject).add(status));
				});
		}
		return statuses;
	}

	/**
	 * Tells whether orders in these statuses leave no contract to perform: each status is a
	 * configured closed one. Unlike {@link #of(SubjectIdentifiers)}, reports nothing.
	 * @param statuses the statuses of a subject's orders
	 * @return whether nothing stands in the erasure's way
	 */
	public boolean allClosed(Set<String> statuses) {
		return this.orders.getClosedStatuses().containsAll(statuses);
	}

	/**
	 * Tells whether a status is in one of the configured lists.
	 * @param status an order status
	 * @return whether the job knows what it means
	 */
	public boolean isKnown(String status) {
		return this.orders.getOpenStatuses().contains(status) || this.orders.getClosedStatuses().contains(status);
	}

	/**
	 * Returns every status the job knows.
	 * @return open and closed statuses
	 */
	public Set<String> knownStatuses() {
		Set<String> known = new HashSet<>(this.orders.getOpenStatuses());
		known.addAll(this.orders.getClosedStatuses());
		return known;
	}

	/**
	 * State of a subject's contracts.
	 */
	public enum ContractState {

		/**
		 * No order, or every order in a closed status: nothing stands in the erasure's way.
		 */
		CLOSED,

		/**
		 * An order is still being performed (GDPR Art. 6(1)(b)).
		 */
		OPEN,

		/**
		 * An order is in a status the job does not know: treated as open.
		 */
		UNKNOWN_STATUS;

	}

}
