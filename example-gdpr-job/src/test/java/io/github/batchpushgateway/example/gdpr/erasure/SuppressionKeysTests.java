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

	private static SuppressionKeys keys(String secret) {
		GdprProperties properties = new GdprProperties();
		properties.getSuppression().setHmacKey(secret);
		return new SuppressionKeys(properties);
	}

}
