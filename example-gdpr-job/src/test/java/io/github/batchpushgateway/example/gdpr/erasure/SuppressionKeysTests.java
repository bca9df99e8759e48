package io.github.batchpushgateway.example.gdpr.erasure;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import io.github.batchpushgateway.example.gdpr.GdprProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Keyed hashes for the suppression list.
 */
class SuppressionKeysTests {

	private static final String KEY = "a-secret-key-of-at-least-32-characters!";

	@Test
	void sameAddressGivesTheSameKeyWhateverItsCaseAndSurroundingSpace() {
		SuppressionKeys keys = keys(KEY);
		assertThat(keys.keyFor("  Zelda.Quistorp@Example.ORG ")).isEqualTo(keys.keyFor("zelda.quistorp@example.org"))
			.hasSize(64);
	}

	@Test
	void keyIsNotAPlainHashOfTheAddress() throws Exception {
		String plain = HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256")
				.digest("zelda.quistorp@example.org".getBytes(StandardCharsets.UTF_8)));
		assertThat(keys(KEY).keyFor("zelda.quistorp@example.org")).isNotEqualTo(plain);
	}

	@Test
	void anotherSecretGivesAnotherKey() {
		assertThat(keys(KEY).keyFor("zelda.quistorp@example.org"))
			.isNotEqualTo(keys(KEY + "x").keyFor("zelda.quistorp@example.org"));
	}

	@Test
	void missingOrShortSecretIsAProblemNamingTheVariable() {
		assertThat(keys(null).problem()).startsWith("GDPR_SUPPRESSION_HMAC_KEY is not set");
		assertThat(keys("  ").problem()).startsWith("GDPR_SUPPRESSION_HMAC_KEY is not set");
		assertThat(keys("too-short").problem()).startsWith("GDPR_SUPPRESSION_HMAC_KEY is too short");
		assertThat(keys(KEY).problem()).isNull();
		assertThatIllegalStateException().isThrownBy(() -> keys(null).keyFor("zelda.quistorp@example.org"))
			.withMessageContaining("GDPR_SUPPRESSION_HMAC_KEY");
	}

	@Test
	void keyOfTheRequiredLengthButLittleVarietyIsRefused() {
		assertThat(keys("a".repeat(32)).problem()).startsWith("GDPR_SUPPRESSION_HMAC_KEY repeats a shorter pattern");
		assertThat(keys("ab".repeat(16)).problem()).startsWith("GDPR_SUPPRESSION_HMAC_KEY repeats a shorter pattern");
		assertThat(keys("0123456789abcdef".repeat(2)).problem())
			.startsWith("GDPR_SUPPRESSION_HMAC_KEY repeats a shorter pattern");
		assertThat(keys("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab").problem())
			.startsWith("GDPR_SUPPRESSION_HMAC_KEY has too little variety");
		assertThat(keys("9Jx2kPq7LmR4vT8wZ3nB6cY1hF5dG0sA").problem()).as("32 random characters").isNull();
	}

	@Test
	void problemNeverQuotesTheKey() {
		String weak = "secretsecretsecretsecretsecretse";
		assertThat(keys(weak).problem()).isNotNull().doesNotContain(weak).doesNotContain("secret");
	}

	@Test
	void fingerprintIdentifiesTheKeyWithoutRevealingIt() {
		String fingerprint = SuppressionKeys.fingerprint(KEY);
		assertThat(fingerprint).hasSize(16)
			.isEqualTo(keys(KEY).currentFingerprint())
			.isNotEqualTo(SuppressionKeys.fingerprint(KEY + "x"));
		assertThat(KEY).doesNotContain(fingerprint);
		assertThat(keys(KEY).keyFor("zelda.quistorp@example.org")).doesNotStartWith(fingerprint);
	}

	@Test
	void duringARotationAnAddressIsLookedUpUnderTheCurrentAndThePreviousKeys() {
		// given
		String previous = "an-earlier-secret-key-of-32-characters-or-more";
		SuppressionKeys rotating = keys(KEY);
		GdprProperties properties = new GdprProperties();
		properties.getSuppression().setHmacKey(KEY);
		properties.getSuppression().setPreviousHmacKeys(java.util.List.of(previous));
		SuppressionKeys keys = new SuppressionKeys(properties);

		// then
		assertThat(keys.problem()).isNull();
		assertThat(keys.keyFor("zelda.quistorp@example.org")).isEqualTo(rotating.keyFor("zelda.quistorp@example.org"));
		assertThat(keys.keysFor("zelda.quistorp@example.org")).containsExactly(
				rotating.keyFor("zelda.quistorp@example.org"), keys(previous).keyFor("zelda.quistorp@example.org"));
		assertThat(keys.fingerprints()).containsExactly(SuppressionKeys.fingerprint(KEY),
				SuppressionKeys.fingerprint(previous));
	}

	@Test
	void weakOrRepeatedPreviousKeyIsAProblem() {
		GdprProperties properties = new GdprProperties();
		properties.getSuppression().setHmacKey(KEY);
		properties.getSuppression().setPreviousHmacKeys(java.util.List.of("b".repeat(40)));
		assertThat(new SuppressionKeys(properties).problem())
			.startsWith("GDPR_SUPPRESSION_PREVIOUS_HMAC_KEYS: a previous key repeats a shorter pattern");
		properties.getSuppression().setPreviousHmacKeys(java.util.List.of(KEY));
		assertThat(new SuppressionKeys(properties).problem())
			.isEqualTo("GDPR_SUPPRESSION_PREVIOUS_HMAC_KEYS repeats the current key");
	}

	private static SuppressionKeys keys(String secret) {
		GdprProperties properties = new GdprProperties();
		properties.getSuppression().setHmacKey(secret);
		return new SuppressionKeys(properties);
	}

}
