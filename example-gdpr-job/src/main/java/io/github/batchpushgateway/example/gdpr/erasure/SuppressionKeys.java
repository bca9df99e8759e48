package io.github.batchpushgateway.example.gdpr.erasure;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
 *
 * <p>The key must be random: its length alone lets 32 times {@code a} through, so a key whose
 * characters carry less than {@value #MINIMUM_ENTROPY_BITS} bits by their frequencies, or
 * that repeats a shorter pattern, is refused. Each key has a {@link #fingerprint(String)
 * fingerprint}, stored with the entries made under it, so that a changed key is detected
 * instead of silently breaking the list; during a rotation the previous keys still match.
 */
public class SuppressionKeys {

	/**
	 * The environment variable the key is read from (see {@code application.yml}).
	 */
	public static final String KEY_VARIABLE = "GDPR_SUPPRESSION_HMAC_KEY";

	/**
	 * The environment variable previous keys are read from during a rotation.
	 */
	public static final String PREVIOUS_KEYS_VARIABLE = "GDPR_SUPPRESSION_PREVIOUS_HMAC_KEYS";

	static final int MINIMUM_KEY_LENGTH = 32;

	static final int MINIMUM_ENTROPY_BITS = 128;

	private static final String ALGORITHM = "HmacSHA256";

	/**
	 * What the fingerprint is an HMAC of: a constant, so it identifies the key and reveals
	 * nothing that helps to compute an entry.
	 */
	private static final byte[] FINGERPRINT_INPUT = "gdpr-suppression-key-fingerprint".getBytes(StandardCharsets.UTF_8);

	private final GdprProperties properties;

	public SuppressionKeys(GdprProperties properties) {
		Assert.notNull(properties, "'properties' must not be null");
		this.properties = properties;
	}

	/**
	 * Describes why the configured keys cannot be used. Never quotes a key.
	 * @return the problem, or {@code null} when the keys are usable
	 */
	public @Nullable String problem() {
		String key = this.properties.getSuppression().getHmacKey();
		if (!StringUtils.hasText(key)) {
			return KEY_VARIABLE + " is not set: the suppression list needs a secret HMAC key kept outside the "
					+ "database (for example `openssl rand -base64 32`, from a secret store)";
		}
		String weakness = weakness(key);
		if (weakness != null) {
			return KEY_VARIABLE + " " + weakness + " (for example `openssl rand -base64 32`)";
		}
		for (String previous : previousKeys()) {
			String previousWeakness = weakness(previous);
			if (previousWeakness != null) {
				return PREVIOUS_KEYS_VARIABLE + ": a previous key " + previousWeakness;
			}
			if (previous.equals(key)) {
				return PREVIOUS_KEYS_VARIABLE + " repeats the current key";
			}
		}
		return null;
	}

	/**
	 * Says why a key is too weak to protect the list.
	 * @param key the key
	 * @return the weakness, or {@code null} when there is none
	 */
	static @Nullable String weakness(String key) {
		if (key.length() < MINIMUM_KEY_LENGTH) {
			return "is too short: use at least " + MINIMUM_KEY_LENGTH + " random characters";
		}
		if (repeatsAShorterPattern(key)) {
			return "repeats a shorter pattern: use random characters";
		}
		if (entropyBits(key) < MINIMUM_ENTROPY_BITS) {
			return "has too little variety (under " + MINIMUM_ENTROPY_BITS + " bits): use random characters";
		}
		return null;
	}

	/**
	 * Shannon entropy of the key's characters, by their frequencies in the key, times its
	 * length: an upper bound of what guessing it costs, low for keys like {@code aaaa...} or
	 * {@code abab...}.
	 */
	static double entropyBits(String key) {
		Map<Integer, Integer> frequencies = new HashMap<>();
		key.codePoints().forEach((c) -> frequencies.merge(c, 1, Integer::sum));
		int length = key.codePointCount(0, key.length());
		double bitsPerCharacter = 0;
		for (int count : frequencies.values()) {
			double p = (double) count / length;
			bitsPerCharacter -= p * Math.log(p) / Math.log(2);
		}
		return bitsPerCharacter * length;
	}

	private static boolean repeatsAShorterPattern(String key) {
		// a string is a repetition of a shorter one exactly when it occurs in itself doubled, off the edges
		return (key + key).indexOf(key, 1) < key.length();
	}

	/**
	 * Returns the suppression key of an e-mail address under the current key, the one new
	 * entries are made with.
	 * @param email the address as stored
	 * @return 64 hexadecimal characters
	 */
	public String keyFor(String email) {
		requireUsable();
		return hmac(currentKey(), normalise(email).getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Returns the suppression keys of an e-mail address under every configured key, current
	 * first: what to look up to tell whether the address is suppressed during a rotation.
	 * @param email the address as stored
	 * @return one key per configured HMAC key
	 */
	public List<String> keysFor(String email) {
		requireUsable();
		List<String> keys = new ArrayList<>();
		for (String key : allKeys()) {
			keys.add(hmac(key, normalise(email).getBytes(StandardCharsets.UTF_8)));
		}
		return keys;
	}

	/**
	 * Returns the fingerprint of the current key, stored with every entry made under it.
	 * @return 16 hexadecimal characters
	 */
	public String currentFingerprint() {
		requireUsable();
		return fingerprint(currentKey());
	}

	/**
	 * Returns the fingerprints of every configured key, current first.
	 * @return fingerprints, empty when the current key is missing or weak
	 */
	public Set<String> fingerprints() {
		Set<String> fingerprints = new LinkedHashSet<>();
		if (problem() == null) {
			allKeys().forEach((key) -> fingerprints.add(fingerprint(key)));
		}
		return fingerprints;
	}

	/**
	 * Returns the fingerprint of a key: the first 64 bits of an HMAC of a constant under it.
	 * It identifies the key without revealing it or anything that helps to compute an entry.
	 * @param key the key
	 * @return 16 hexadecimal characters
	 */
	static String fingerprint(String key) {
		return hmac(key, FINGERPRINT_INPUT).substring(0, 16);
	}

	private void requireUsable() {
		Assert.state(problem() == null, this::problem);
	}

	private String currentKey() {
		String key = this.properties.getSuppression().getHmacKey();
		Assert.state(key != null, "no key");
		return key;
	}

	private List<String> previousKeys() {
		return this.properties.getSuppression().getPreviousHmacKeys().stream().filter(StringUtils::hasText).toList();
	}

	private List<String> allKeys() {
		List<String> keys = new ArrayList<>();
		keys.add(currentKey());
		keys.addAll(previousKeys());
		return keys;
	}

	private static String hmac(String key, byte[] input) {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM));
			return HexFormat.of().formatHex(mac.doFinal(input));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	static String normalise(String email) {
		return email.strip().toLowerCase(Locale.ROOT);
	}

}
