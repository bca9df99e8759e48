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
	 * Computes the deadlines of a request without an extension.
	 * @param receivedOn the day the request was received, in the controller's zone
	 * @return the deadlines
	 */
	public static Deadlines compute(LocalDate receivedOn) {
		return compute(receivedOn, null, null);
	}

	/**
	 * Computes the deadlines of a request.
	 * @param receivedOn the day the request was received, in the controller's zone
	 * @param extensionNotifiedOn the day the requester was told of an extension, or
	 * {@code null} when there was none
	 * @param extensionReason the reasons the requester was given for the extension, or
	 * {@code null} when none were recorded
	 * @return the deadlines; an extension is valid only when the requester was told, with
	 * reasons, within the first month (see {@link #isValidExtension}), otherwise the original
	 * deadline stays in force
	 */
	public static Deadlines compute(LocalDate receivedOn, @Nullable LocalDate extensionNotifiedOn,
			@Nullable String extensionReason) {
		LocalDate deadline = receivedOn.plusMonths(1);
		boolean validExtension = isValidExtension(receivedOn, deadline, extensionNotifiedOn, extensionReason);
		LocalDate extendedDeadline = validExtension ? extend(receivedOn, deadline) : null;
		return new Deadlines(deadline, extendedDeadline);
	}

	/**
	 * The extended deadline: "two further months" read both as three months from receipt and
	 * as two months after the first deadline, and the earlier of the two taken. They differ
	 * when the first deadline was clamped to a month's end (received 31 January: 30 April from
	 * receipt, 29 April from the clamped 29 February); no authority has said which reading
	 * applies, and answering a day early is never late.
	 */
	private static LocalDate extend(LocalDate receivedOn, LocalDate deadline) {
		LocalDate fromReceipt = receivedOn.plusMonths(3);
		LocalDate fromDeadline = deadline.plusMonths(2);
		return fromDeadline.isBefore(fromReceipt) ? fromDeadline : fromReceipt;
	}

	/**
	 * Returns whether an extension counts under Art. 12(3): the requester was told of it
	 * within the first month (not before the request arrived, which would be a data error,
	 * nor after the deadline) and was given reasons (an extension without reasons does not
	 * meet the article, so it must not move the deadline).
	 * @param receivedOn the day the request was received
	 * @param deadline the one-month deadline
	 * @param notifiedOn the day the requester was told, or {@code null}
	 * @param reason the reasons given, or {@code null}
	 * @return whether the extension is valid
	 */
	static boolean isValidExtension(LocalDate receivedOn, LocalDate deadline, @Nullable LocalDate notifiedOn,
			@Nullable String reason) {
		return notifiedOn != null && reason != null && !reason.isBlank() && !notifiedOn.isBefore(receivedOn)
				&& !notifiedOn.isAfter(deadline);
	}

	/**
	 * The deadlines of one request.
	 *
	 * @param deadline one month after receipt
	 * @param extendedDeadline when validly extended, the earlier of three months after receipt
	 * and two months after {@code deadline}, otherwise {@code null}
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
