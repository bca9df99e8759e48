package io.github.batchpushgateway.example.gdpr;

import java.util.List;
import java.util.Map;

import io.github.batchpushgateway.example.gdpr.Shop.Customer;
import io.github.batchpushgateway.example.gdpr.erasure.SuppressionKeys;
import io.github.batchpushgateway.example.gdpr.erasure.SuppressionList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The suppression list keeps the fingerprint of the key each entry was made under: a changed
 * key stops the job before it adds entries nobody can match, and a rotation keeps matching
 * entries of the previous key.
 */
@ExtendWith(OutputCaptureExtension.class)
class SuppressionKeyChangeTests extends ErasureJobTestSupport {

	private static final String PREVIOUS_KEY = "the-key-before-the-rotation-0123456789-xyz";

	@Test
	void entriesUnderAKeyThatIsNotConfiguredStopTheJobBeforeAnythingIsErased(CapturedOutput output) throws Exception {
		// given: entries made under another key
		suppressionEntry("ab".repeat(32), "ffffffffffffffff");
		Customer zelda = this.shop.customer();
		long request = this.shop.verifiedRequest(zelda);

		// when
		JobExecution execution = runJob();

		// then
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(Executions.step(execution, "checkPreconditions").getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(this.shop.row("erasure_request", request)).containsEntry("STATUS", "VERIFIED");
		assertThat(this.shop.count("SELECT COUNT(*) FROM customer WHERE id = ?", zelda.id())).isOne();
		assertThat(gateway().metrics().require("gdpr_suppression_entries_without_key", Map.of("job", jobName())))
			.isOne();
		assertThat(gateway().metrics().require("gdpr_suppression_key_usable", Map.of("job", jobName()))).isOne();
		assertThat(output.getAll()).contains("fingerprints [ffffffffffffffff]").doesNotContain(HMAC_KEY);
	}

	@Test
	void entriesMadeBeforeFingerprintsWereKeptAreClaimedForTheCurrentKey() throws Exception {
		// given
		suppressionEntry("cd".repeat(32), null);

		// when
		JobExecution execution = runJob();

		// then
		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.shop.rows("SELECT key_fingerprint FROM suppression_entry"))
			.containsExactly(Map.of("KEY_FINGERPRINT", currentKeys().currentFingerprint()));
	}

	@Test
	void duringARotationEntriesOfThePreviousKeyStillMatchAndNewOnesUseTheCurrentKey() {
		// given: the list built under the previous key
		SuppressionList before = list(keys(PREVIOUS_KEY, List.of()));
		before.add("zelda.quistorp@example.org");

		// when: the key is rotated, the previous one named
		SuppressionList rotating = list(keys(HMAC_KEY, List.of(PREVIOUS_KEY)));
		rotating.add("yannick.stranger@example.net");

		// then
		assertThat(rotating.contains("Zelda.Quistorp@example.org")).isTrue();
		assertThat(rotating.contains("yannick.stranger@example.net")).isTrue();
		assertThat(rotating.contains("somebody.else@example.org")).isFalse();
		assertThat(rotating.fingerprintsWithoutKey()).isEmpty();
		// and had the previous key been dropped, its entries would be reported, not silently lost
		assertThat(list(currentKeys()).fingerprintsWithoutKey())
			.containsExactly(keys(PREVIOUS_KEY, List.of()).currentFingerprint());
		assertThat(list(currentKeys()).contains("zelda.quistorp@example.org")).isFalse();
	}

	private void suppressionEntry(String hmac, String fingerprint) {
		this.jdbc.sql("INSERT INTO suppression_entry (email_hmac, created_at, key_fingerprint) VALUES (?, ?, ?)")
			.params(hmac, this.shop.now(), fingerprint)
			.update();
	}

	private SuppressionList list(SuppressionKeys keys) {
		return new SuppressionList(this.jdbc, keys, this.clock);
	}

	private static SuppressionKeys currentKeys() {
		return keys(HMAC_KEY, List.of());
	}

	private static SuppressionKeys keys(String current, List<String> previous) {
		GdprProperties properties = new GdprProperties();
		properties.getSuppression().setHmacKey(current);
		properties.getSuppression().setPreviousHmacKeys(previous);
		return new SuppressionKeys(properties);
	}

}
