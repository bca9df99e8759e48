package io.github.batchpushgateway.example.gdpr.erasure;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * What the shop knows a subject by: the account's id and the e-mail addresses it holds for
 * them (the account's, and the one the requester's identity was verified for), normalised as
 * the suppression list normalises them. Guest orders carry no account link, only an address,
 * so an erasure that followed the account id alone would leave them behind.
 *
 * @param subjectId the account id named by the request (it may not exist)
 * @param emails the normalised addresses, possibly none
 */
public record SubjectIdentifiers(UUID subjectId, List<String> emails) {

	/**
	 * Collects a subject's identifiers.
	 * @param subjectId the account id
	 * @param addresses addresses as stored, {@code null} or blank ones ignored
	 * @return the identifiers
	 */
	public static SubjectIdentifiers of(UUID subjectId, @Nullable String... addresses) {
		Set<String> emails = new LinkedHashSet<>();
		for (String address : addresses) {
			if (address != null && !address.isBlank()) {
				emails.add(SuppressionKeys.normalise(address));
			}
		}
		return new SubjectIdentifiers(Objects.requireNonNull(subjectId), List.copyOf(emails));
	}

	@Override
	public String toString() {
		return "SubjectIdentifiers[" + this.emails.size() + " address(es)]"; // never the values
	}

}
