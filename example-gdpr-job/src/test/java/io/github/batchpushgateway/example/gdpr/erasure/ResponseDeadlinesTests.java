package io.github.batchpushgateway.example.gdpr.erasure;

import java.time.LocalDate;

import io.github.batchpushgateway.example.gdpr.erasure.ResponseDeadlines.Deadlines;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GDPR Art. 12(3) deadlines, counted with the day of receipt as day one.
 */
class ResponseDeadlinesTests {

	@Test
	void deadlineIsTheSameDateOfTheNextMonth() {
		assertThat(ResponseDeadlines.compute(LocalDate.of(2025, 3, 15)).deadline())
			.isEqualTo(LocalDate.of(2025, 4, 15));
	}

	@Test
	void deadlineIsTheLastDayOfTheNextMonthWhenThatDateDoesNotExist() {
		assertThat(ResponseDeadlines.compute(LocalDate.of(2024, 1, 31)).deadline())
			.isEqualTo(LocalDate.of(2024, 2, 29));
		assertThat(ResponseDeadlines.compute(LocalDate.of(2025, 1, 31)).deadline())
			.isEqualTo(LocalDate.of(2025, 2, 28));
		assertThat(ResponseDeadlines.compute(LocalDate.of(2025, 3, 31)).deadline())
			.isEqualTo(LocalDate.of(2025, 4, 30));
	}

	@Test
	void deadlineCrossesTheYear() {
		assertThat(ResponseDeadlines.compute(LocalDate.of(2025, 12, 31)).deadline())
			.isEqualTo(LocalDate.of(2026, 1, 31));
	}

	@Test
	void extensionNotifiedWithinTheFirstMonthGivesThreeMonthsFromReceipt() {
		Deadlines deadlines = ResponseDeadlines.compute(LocalDate.of(2025, 3, 15), LocalDate.of(2025, 4, 1),
				"COMPLEXITY");
		assertThat(deadlines.extendedDeadline()).isEqualTo(LocalDate.of(2025, 6, 15));
		assertThat(deadlines.dueOn()).isEqualTo(LocalDate.of(2025, 6, 15));
	}

	@Test
	void extensionAfterAClampedDeadlineEndsTwoMonthsAfterItWhenThatIsEarlier() {
		// received 31 January: three months from receipt is 30 April, two months after the
		// clamped 29 February is 29 April; the earlier reading is never late
		Deadlines leapYear = ResponseDeadlines.compute(LocalDate.of(2024, 1, 31), LocalDate.of(2024, 2, 29),
				"COMPLEXITY");
		Deadlines commonYear = ResponseDeadlines.compute(LocalDate.of(2025, 1, 31), LocalDate.of(2025, 2, 28),
				"COMPLEXITY");
		assertThat(leapYear.extendedDeadline()).isEqualTo(LocalDate.of(2024, 4, 29));
		assertThat(commonYear.extendedDeadline()).isEqualTo(LocalDate.of(2025, 4, 28));
		// received 30 November: 28 February either way
		assertThat(ResponseDeadlines.compute(LocalDate.of(2024, 11, 30), LocalDate.of(2024, 12, 2), "COMPLEXITY")
			.extendedDeadline()).isEqualTo(LocalDate.of(2025, 2, 28));
	}

	@Test
	void extensionNotifiedAfterTheFirstMonthIsNotValid() {
		Deadlines deadlines = ResponseDeadlines.compute(LocalDate.of(2024, 1, 31), LocalDate.of(2024, 3, 1),
				"COMPLEXITY");
		assertThat(deadlines.extendedDeadline()).isNull();
		assertThat(deadlines.dueOn()).isEqualTo(LocalDate.of(2024, 2, 29));
	}

	@Test
	void extensionWithoutReasonsIsNotValid() {
		// given: told in time, but no reasons recorded (Art. 12(3) asks for them)
		LocalDate receivedOn = LocalDate.of(2025, 3, 3);
		LocalDate notifiedOn = LocalDate.of(2025, 3, 10);

		// when
		Deadlines withoutReason = ResponseDeadlines.compute(receivedOn, notifiedOn, null);
		Deadlines blankReason = ResponseDeadlines.compute(receivedOn, notifiedOn, "  ");

		// then
		assertThat(withoutReason.extendedDeadline()).isNull();
		assertThat(withoutReason.dueOn()).isEqualTo(LocalDate.of(2025, 4, 3));
		assertThat(blankReason.extendedDeadline()).isNull();
		assertThat(blankReason.dueOn()).isEqualTo(LocalDate.of(2025, 4, 3));
	}

	@Test
	void extensionNotifiedBeforeTheRequestArrivedIsNotValid() {
		Deadlines deadlines = ResponseDeadlines.compute(LocalDate.of(2025, 3, 3), LocalDate.of(2025, 3, 2),
				"COMPLEXITY");
		assertThat(deadlines.extendedDeadline()).isNull();
		assertThat(deadlines.dueOn()).isEqualTo(LocalDate.of(2025, 4, 3));
	}

	@Test
	void extensionNotifiedOnTheDayOfReceiptOrOnTheDeadlineIsValid() {
		assertThat(ResponseDeadlines.compute(LocalDate.of(2025, 3, 3), LocalDate.of(2025, 3, 3), "COMPLEXITY")
			.extendedDeadline()).isNotNull();
		assertThat(ResponseDeadlines.compute(LocalDate.of(2025, 3, 3), LocalDate.of(2025, 4, 3), "COMPLEXITY")
			.extendedDeadline()).isNotNull();
	}

	@Test
	void extensionNotifiedTheDayAfterTheDeadlineIsNotValid() {
		Deadlines deadlines = ResponseDeadlines.compute(LocalDate.of(2025, 3, 3), LocalDate.of(2025, 4, 4),
				"COMPLEXITY");
		assertThat(deadlines.extendedDeadline()).isNull();
	}

	@Test
	void withoutExtensionTheDeadlineIsDue() {
		Deadlines deadlines = ResponseDeadlines.compute(LocalDate.of(2025, 6, 2));
		assertThat(deadlines.extendedDeadline()).isNull();
		assertThat(deadlines.dueOn()).isEqualTo(LocalDate.of(2025, 7, 2));
	}

}
