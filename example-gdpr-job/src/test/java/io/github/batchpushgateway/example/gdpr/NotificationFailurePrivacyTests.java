package io.github.batchpushgateway.example.gdpr;

import java.sql.SQLException;

import io.github.batchpushgateway.example.gdpr.Shop.Customer;
import io.github.batchpushgateway.example.gdpr.notification.RecipientNotifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A delivery that fails for good, whether the recipient's endpoint rejects it or the outbox row
 * cannot be updated, fails the step without the failure's message: a real notifier's exception
 * echoes the response body or URL, and a database's the row, both carrying the subject's
 * reference. Neither the logs nor the job repository's exit message may show it.
 */
@ExtendWith(OutputCaptureExtension.class)
@Import(NotificationFailurePrivacyTests.RejectingCreditAgency.class)
class NotificationFailurePrivacyTests extends ErasureJobTestSupport {

	@Test
	void recipientsExceptionQuotingTheSubjectsAddressStaysOutOfLogsAndExitMessage(CapturedOutput output)
			throws Exception {
		// given: the credit agency's endpoint answers with an error that echoes the reference
		Customer customer = this.shop.customer();
		this.shop.disclosure(customer, "credit-agency");
		this.shop.verifiedRequest(customer);

		// when
		JobExecution execution = runJob();

		// then
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
		long outboxId = this.shop.count("SELECT id FROM notification_outbox WHERE recipient_key = 'credit-agency'");
		String exitMessage = stepExitMessage(execution, "notifyRecipients");
		// the exit message is a stack trace Spring Batch cuts to 2,500 characters: the email
		// could hide past the cut, so the logs (whole stack traces) are checked for the code too
		assertThat(exitMessage).startsWith("org.springframework.batch.core.step.FatalStepExecutionException")
			.doesNotContain(customer.email());
		assertThat(output.getAll()).contains("outbox message " + outboxId + " failed: IllegalStateException")
			.doesNotContain(customer.email());
	}

	@Test
	void databaseExceptionOfAnOutboxUpdateQuotingTheAddressStaysOutOfLogsAndExitMessage(CapturedOutput output)
			throws Exception {
		// given: marking the notice sent fails with a message that quotes the row
		Customer customer = this.shop.customer();
		this.shop.disclosure(customer, "payment-provider");
		this.shop.verifiedRequest(customer);
		InjectedFault.arm(this.jdbc, "BEFORE UPDATE ON notification_outbox", 1, false,
				() -> new SQLException("Check constraint violated by row ('payment-provider-ref-" + customer.email()
						+ "') (injected)", "23513", 23513));
		JobExecution execution;
		try {
			// when
			execution = runJob();
		}
		finally {
			InjectedFault.disarm(this.jdbc);
		}

		// then
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
		String exitMessage = stepExitMessage(execution, "notifyRecipients");
		assertThat(exitMessage).startsWith("org.springframework.batch.core.step.FatalStepExecutionException")
			.doesNotContain(customer.email());
		assertThat(output.getAll()).contains("SQLSTATE_23513").doesNotContain(customer.email());
	}

	private String stepExitMessage(JobExecution execution, String stepName) {
		return this.jdbc.sql("SELECT exit_message FROM batch_step_execution WHERE job_execution_id = ? AND step_name = ?")
			.params(execution.getId(), stepName)
			.query(String.class)
			.single();
	}

	/**
	 * A credit agency whose endpoint rejects every notice with an exception that quotes the
	 * subject's reference, as an HTTP client's exception quotes the response body; the other
	 * recipients accept.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class RejectingCreditAgency {

		@Bean
		@Primary
		RecipientNotifier rejectingCreditAgency() {
			return (notification) -> {
				if (notification.recipientKey().equals("credit-agency")) {
					throw new IllegalStateException("422 Unprocessable Entity from " + notification.endpoint()
							+ ": {\"error\":\"unknown subject " + notification.subjectReference() + "\"}");
				}
			};
		}

	}

}
