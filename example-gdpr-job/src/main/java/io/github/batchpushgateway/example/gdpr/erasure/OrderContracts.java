package io.github.batchpushgateway.example.gdpr.erasure;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
		Set<String> statuses = new HashSet<>(this.jdbc.sql("SELECT DISTINCT status FROM orders WHERE customer_id = ?")
			.param(subject.subjectId())
			.query(String.class)
			.list());
		if (!subject.emails().isEmpty()) {
			statuses.addAll(this.jdbc.sql("""
					SELECT DISTINCT status FROM orders
					WHERE contact_email_normalized IN (:emails) AND customer_id IS NULL""")
				.param("emails", subject.emails())
				.query(String.class)
				.list());
		}
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
