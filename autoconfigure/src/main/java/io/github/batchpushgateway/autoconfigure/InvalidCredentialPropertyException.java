package io.github.batchpushgateway.autoconfigure;

import org.springframework.util.Assert;

/**
 * Thrown when a property that may hold a credential (the address, with a user and password in
 * it) is invalid. Unlike Spring Boot's {@code InvalidConfigurationPropertyValueException}, whose
 * failure report prints the configured value, neither this exception nor its failure report
 * ({@link InvalidCredentialPropertyFailureAnalyzer}) ever shows the value.
 */
final class InvalidCredentialPropertyException extends RuntimeException {

	private final String name;

	private final String reason;

	InvalidCredentialPropertyException(String name, String reason) {
		super("Property " + name + " is invalid (its value is not shown, as it may hold credentials): " + reason);
		Assert.hasText(name, "'name' must not be empty");
		Assert.hasText(reason, "'reason' must not be empty");
		this.name = name;
		this.reason = reason;
	}

	String getName() {
		return this.name;
	}

	String getReason() {
		return this.reason;
	}

}
