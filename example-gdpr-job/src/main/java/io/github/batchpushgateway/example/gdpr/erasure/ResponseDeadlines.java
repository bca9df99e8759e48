package io.github.batchpushgateway.example.gdpr.erasure;

import java.time.LocalDate;

import org.jspecify.annotations.Nullable;

/**
 * Response deadlines under GDPR Art. 12(3): one month from receipt, extendable by two further
 * months when the data subject is told, with reasons, within the first month.
 *
 * <p>Counting follows Regulation 1182/71 as the supervisory authorities apply it: the day of
 * receipt is day one, and the period ends on the same date of the following month, or on that
 * month's last day where the date does not exist (received 31 January, due 28 or 29
 * February). {@link LocalDate#plusMonths(long)} clamps exactly that way.
 */
public final class ResponseDeadlines {

	private ResponseDeadlines() {
	}

	/**
	 * Computes the deadlines of a request.
	 * @param receivedOn the day the request was received, in the controller's zone
	 * @param extensionNotifiedOn the day the requester was told of an extension, or
	 * {@code null} when there was none
	 * @return the deadlines; an extension notified after the first month is not valid and
	 * leaves the original deadline in force
	 */
	public static Deadlines compute(LocalDate receivedOn, @Nullable LocalDate extensionNotifiedOn) {
		LocalDate deadline = receivedOn.plusMonths(1);
		boolean validExtension = extensionNotifiedOn != null && !extensionNotifiedOn.isAfter(deadline);
		LocalDate extendedDeadline = validExtension ? receivedOn.plusMonths(3) : null;
		return new Deadlines(deadline, extendedDeadline);
	}

	/**
	 * The deadlines of one request.
	 *
	 * @param deadline one month after receipt
	 * @param extendedDeadline three months after receipt when validly extended, otherwise
	 * {@code null}
	 */
	public record Deadlines(LocalDate deadline, @Nullable LocalDate extendedDeadline) {

		/**
		 * Returns the deadline in force: the extended one when there is one.
		 * @return the last day on which the request may be answered
		 */
		public LocalDate dueOn() {
			return (this.extendedDeadline != null) ? this.extendedDeadline : this.deadline;
		}

	}

}
