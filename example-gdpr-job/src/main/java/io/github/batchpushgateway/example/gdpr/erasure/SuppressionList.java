package io.github.batchpushgateway.example.gdpr.erasure;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.batchpushgateway.example.gdpr.UnknownValues;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * The "do not contact" list ({@code suppression_entry}): keyed hashes of the addresses of
 * people who were erased, each stored with the {@link SuppressionKeys#fingerprint(String)
 * fingerprint} of the key it was made under.
 *
 * <p>Kept on GDPR Art. 6(1)(c) and 6(1)(f) to honour Art. 21(3) (no more direct marketing),
 * not on Art. 17(1), which is a duty to erase and no ground to keep anything.
 */
public final class SuppressionList {

	private final JdbcClient jdbc;

	private final SuppressionKeys keys;

	private final Clock clock;

	public SuppressionList(JdbcClient jdbc, SuppressionKeys keys, Clock clock) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		Assert.notNull(keys, "'keys' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.jdbc = jdbc;
		this.keys = keys;
		this.clock = clock;
	}

	/**
	 * Adds an address under the current key, unless it is there already.
	 * @param email the address as stored
	 * @return rows added, 0 or 1
	 */
	public int add(String email) {
		return addAll(List.of(email)).size();
	}

	/**
	 * Adds addresses under the current key, each unless it is there already: one query reads
	 * which are, one statement inserts the rest.
	 * @param emails the addresses as stored
	 * @return the addresses added
	 */
	public Set<String> addAll(Collection<String> emails) {
		Map<String, String> byHmac = new LinkedHashMap<>();
		emails.forEach((email) -> byHmac.putIfAbsent(this.keys.keyFor(email), email));
		if (byHmac.isEmpty()) {
			return Set.of();
		}
		this.jdbc.sql("SELECT email_hmac FROM suppression_entry WHERE email_hmac IN (:hmacs)")
			.param("hmacs", byHmac.keySet())
			.query(String.class)
			.list()
			.forEach(byHmac::remove);
		if (byHmac.isEmpty()) {
			return Set.of();
		}
		List<Object> values = new ArrayList<>();
		LocalDateTime now = LocalDateTime.now(this.clock);
		String fingerprint = this.keys.currentFingerprint();
		byHmac.keySet().forEach((hmac) -> values.addAll(List.of(hmac, now, fingerprint)));
		this.jdbc.sql("INSERT INTO suppression_entry (email_hmac, created_at, key_fingerprint) VALUES "
				+ String.join(", ", Collections.nCopies(byHmac.size(), "(?, ?, ?)")))
			.params(values)
			.update();
		return new HashSet<>(byHmac.values());
	}

	/**
	 * Tells whether an address is suppressed, under the current key or any previous one
	 * still configured: the check a sign-up or a campaign must make.
	 * @param email the address
	 * @return whether it is on the list
	 */
	public boolean contains(String email) {
		return this.jdbc.sql("SELECT COUNT(*) FROM suppression_entry WHERE email_hmac IN (:hmacs)")
			.param("hmacs", this.keys.keysFor(email))
			.query(Long.class)
			.single() > 0;
	}

	/**
	 * Returns the fingerprints of keys that entries were made under but that are not
	 * configured: the key was changed, or a previous key dropped too early, and those
	 * entries no longer match anybody.
	 * @return fingerprints, empty when every entry can be matched
	 */
	public List<String> fingerprintsWithoutKey() {
		return withoutKey().values();
	}

	/**
	 * Counts the entries made under keys that are not configured.
	 * @return entries that match nobody
	 */
	public long entriesWithoutKey() {
		return withoutKey().count();
	}

	// one index lookup per distinct fingerprint (a key or two), where the list grows with every
	// erasure
	private UnknownValues withoutKey() {
		return new UnknownValues(this.jdbc, "suppression_entry", "key_fingerprint", this.keys.fingerprints());
	}

	/**
	 * Gives entries made before fingerprints were kept the current key's fingerprint. Which
	 * key made them cannot be known any more; the current one is the only candidate.
	 * @return entries claimed
	 */
	public int claimEntriesWithoutFingerprint() {
		return this.jdbc.sql("UPDATE suppression_entry SET key_fingerprint = ? WHERE key_fingerprint IS NULL")
			.param(this.keys.currentFingerprint())
			.update();
	}

}
