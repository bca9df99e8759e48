package io.github.batchpushgateway.example.gdpr.erasure;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.github.batchpushgateway.example.gdpr.GdprProperties;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Keys of the "do not contact" suppression list: HMAC-SHA256 of the normalised e-mail address
 * under a secret key that lives outside the database.
 *
 * <p>A pseudonymised value is still personal data (GDPR Recital 26), and a plain or
 * per-row-salted hash of an e-mail address is reversed by hashing candidate addresses. With a
 * keyed hash the list can only be checked by whoever holds the key, and the same address
 * always maps to the same entry, so a re-registration can be recognised and suppressed.
 */
public class SuppressionKeys {

	/**
	 * The environment variable the key is read from (see {@code application.yml}).
	 */
	public static final String KEY_VARIABLE = "GDPR_SUPPRESSION_HMAC_KEY";

	static final int MINIMUM_KEY_LENGTH = 32;

	private static final String ALGORITHM = "HmacSHA256";

	private final GdprProperties properties;

	public SuppressionKeys(GdprProperties properties) {
		Assert.notNull(properties, "'properties' must not be null");
		this.properties = properties;
	}

	/**
	 * Describes why the configured key cannot be used.
	 * @return the problem, or {@code null} when the key is usable
	 */
	public @Nullable String problem() {
		String key = this.properties.getSuppression().getHmacKey();
		if (!StringUtils.hasText(key)) {
			return KEY_VARIABLE + " is not set: the suppression list needs a secret HMAC key kept outside the "
					+ "database (for example `openssl rand -base64 32`, from a secret store)";
		}
		if (key.length() < MINIMUM_KEY_LENGTH) {
			return KEY_VARIABLE + " is too short: use at least " + MINIMUM_KEY_LENGTH
					+ " characters (for example `openssl rand -base64 32`)";
		}
		return null;
	}

	/**
	 * Returns the suppression key of an e-mail address.
	 * @param email the address as stored
	 * @return 64 hexadecimal characters
	 */
	public String keyFor(String email) {
		Assert.state(problem() == null, this::problem);
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(new SecretKeySpec(this.properties.getSuppression().getHmacKey().getBytes(StandardCharsets.UTF_8),
					ALGORITHM));
			return HexFormat.of().formatHex(mac.doFinal(normalise(email).getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	static String normalise(String email) {
		return email.strip().toLowerCase(Locale.ROOT);
	}

}
