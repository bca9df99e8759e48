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
		assertThat(ResponseDeadlines.compute(LocalDate.of(2025, 3, 15), null).deadline())
			.isEqualTo(LocalDate.of(2025, 4, 15));
	}

	@Test
	void deadlineIsTheLastDayOfTheNextMonthWhenThatDateDoesNotExist() {
		assertThat(ResponseDeadlines.compute(LocalDate.of(2024, 1, 31), null).deadline())
			.isEqualTo(LocalDate.of(2024, 2, 29));
		assertThat(ResponseDeadlines.compute(LocalDate.of(2025, 1, 31), null).deadline())
			.isEqualTo(LocalDate.of(2025, 2, 28));
		assertThat(ResponseDeadlines.compute(LocalDate.of(2025, 3, 31), null).deadline())
			.isEqualTo(LocalDate.of(2025, 4, 30));
	}

	@Test
	void deadlineCrossesTheYear() {
		assertThat(ResponseDeadlines.compute(LocalDate.of(2025, 12, 31), null).deadline())
			.isEqualTo(LocalDate.of(2026, 1, 31));
	}

	@Test
	void extensionNotifiedWithinTheFirstMonthGivesThreeMonthsFromReceipt() {
		Deadlines deadlines = ResponseDeadlines.compute(LocalDate.of(2024, 1, 31), LocalDate.of(2024, 2, 29));
		assertThat(deadlines.extendedDeadline()).isEqualTo(LocalDate.of(2024, 4, 30));
		assertThat(deadlines.dueOn()).isEqualTo(LocalDate.of(2024, 4, 30));
	}

	@Test
	void extensionNotifiedAfterTheFirstMonthIsNotValid() {
		Deadlines deadlines = ResponseDeadlines.compute(LocalDate.of(2024, 1, 31), LocalDate.of(2024, 3, 1));
		assertThat(deadlines.extendedDeadline()).isNull();
		assertThat(deadlines.dueOn()).isEqualTo(LocalDate.of(2024, 2, 29));
	}

	@Test
	void withoutExtensionTheDeadlineIsDue() {
		Deadlines deadlines = ResponseDeadlines.compute(LocalDate.of(2025, 6, 2), null);
		assertThat(deadlines.extendedDeadline()).isNull();
		assertThat(deadlines.dueOn()).isEqualTo(LocalDate.of(2025, 7, 2));
	}

}
