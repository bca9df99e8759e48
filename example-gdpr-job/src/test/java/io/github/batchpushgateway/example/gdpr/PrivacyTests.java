package io.github.batchpushgateway.example.gdpr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.batchpushgateway.example.gdpr.Shop.Customer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.batch.core.BatchStatus;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No name, e-mail address, phone number, street or customer id reaches the gateway, the logs,
 * the job repository (parameters, execution contexts, exit messages) or the audit table, on
 * any path, including the failing ones whose database errors quote the offending row. And an
 * erased subject's data is gone from every table except the invoice tax law makes us keep.
 */
@ExtendWith(OutputCaptureExtension.class)
class PrivacyTests extends ErasureJobTestSupport {

	private static final List<String> JOB_REPOSITORY_TABLES = List.of("BATCH_JOB_INSTANCE", "BATCH_JOB_EXECUTION",
			"BATCH_JOB_EXECUTION_PARAMS", "BATCH_JOB_EXECUTION_CONTEXT", "BATCH_STEP_EXECUTION",
			"BATCH_STEP_EXECUTION_CONTEXT");

	@Test
	void personalDataStaysOutOfMetricsLogsJobRepositoryAndAudit(CapturedOutput output) throws Exception {
		// given: subjects on every path
		List<Customer> erased = new ArrayList<>();
		for (String recipient : Shop.RECIPIENTS) {
			Customer customer = this.shop.customer();
			this.shop.deliveredOrder(customer, this.shop.today().plusYears(4));
			this.shop.disclosure(customer, recipient);
			this.shop.verifiedRequest(customer);
			erased.add(customer);
		}
		Customer held = this.shop.customer();
		this.shop.legalHold(held, null);
		this.shop.verifiedRequest(held);
		Customer buyer = this.shop.customer();
		this.shop.openOrder(buyer);
		this.shop.verifiedRequest(buyer);
		Customer unverified = this.shop.customer();
		this.shop.request(unverified, "RECEIVED", this.shop.now().minusDays(40), null);
		Customer referenced = this.shop.customer();
		this.shop.verifiedRequest(referenced);
		// a guest order under an erased customer's address, spelt differently
		Customer guest = this.shop.customer();
		this.shop.guestOrder(guest, guest.email().toUpperCase(), "DELIVERED");
		this.shop.verifiedRequest(guest);
		erased.add(guest);
		// somebody the shop holds nothing about
		Customer stranger = this.shop.stranger();
		this.shop.verifiedRequest(stranger);
		List<Customer> everyone = new ArrayList<>(erased);
		everyone.addAll(List.of(held, buyer, unverified, referenced, stranger));

		// when: a run that skips a subject (its database error quotes the customer's id) ...
		this.jdbc.sql("CREATE TABLE support_ticket (id BIGINT PRIMARY KEY, customer_id UUID REFERENCES customer (id))")
			.update();
		this.jdbc.sql("INSERT INTO support_ticket VALUES (1, ?)").param(referenced.id()).update();
		try {
			assertThat(runJob().getExitStatus().getExitCode()).isEqualTo("COMPLETED_WITH_SKIPS");
		}
		finally {
			this.jdbc.sql("DROP TABLE support_ticket").update();
		}
		// ... and one whose verification finds residual data
		Customer reappearing = this.shop.customer();
		this.shop.verifiedRequest(reappearing);
		everyone.add(reappearing);
		ReappearingOrder.install(this.jdbc);
		try {
			assertThat(runJob().getStatus()).isEqualTo(BatchStatus.FAILED);
		}
		finally {
			ReappearingOrder.remove(this.jdbc);
		}

		// then
		String payload = gateway().scrapeText();
		assertThat(payload).contains("gdpr_erasure_requests_pending");
		String logs = output.getAll();
		assertThat(logs).contains("Skipped erasure request").contains("Residual data after erasure request");
		String jobRepository = tablesAsText(JOB_REPOSITORY_TABLES);
		assertThat(jobRepository).contains("COMPLETED_WITH_SKIPS").contains("RESIDUAL_DATA");
		String audit = tablesAsText(List.of("erasure_audit"));
		String secrets = "the suppression key";
		assertThat(payload).as(secrets).doesNotContain(HMAC_KEY);
		assertThat(logs).as(secrets).doesNotContain(HMAC_KEY);
		assertThat(jobRepository).as(secrets).doesNotContain(HMAC_KEY);
		assertThat(this.shop.dump().toString()).as(secrets).doesNotContain(HMAC_KEY);
		for (Customer customer : everyone) {
			for (String personal : customer.personalData()) {
				assertThat(payload).as("gateway payload").doesNotContain(personal);
				assertThat(logs).as("logs").doesNotContain(personal);
				assertThat(jobRepository).as("job repository").doesNotContain(personal);
				assertThat(audit).as("audit table").doesNotContain(personal);
			}
		}
		String database = this.shop.dump()
			.entrySet()
			.stream()
			.filter((table) -> !table.getKey().equals("invoice"))
			.map(Map.Entry::getValue)
			.toList()
			.toString();
		assertThat(database).as("the guest order's address").doesNotContainIgnoringCase(guest.email());
		for (Customer customer : erased) {
			assertThat(List.of(customer.name(), customer.email(), customer.phone(), customer.street()))
				.allSatisfy((personal) -> assertThat(database).as("database outside invoices").doesNotContain(personal));
			assertThat(this.shop.rows("SELECT billing_name FROM invoice WHERE restricted = TRUE"))
				.contains(Map.of("BILLING_NAME", customer.name()));
		}
	}

	private String tablesAsText(List<String> tables) {
		StringBuilder text = new StringBuilder();
		for (String table : tables) {
			text.append(table).append(this.jdbc.sql("SELECT * FROM " + table).query().listOfRows()).append('\n');
		}
		return text.toString();
	}

}
