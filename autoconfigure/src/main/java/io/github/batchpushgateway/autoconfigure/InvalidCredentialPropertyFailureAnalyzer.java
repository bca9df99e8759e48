package io.github.batchpushgateway.autoconfigure;

import java.util.LinkedHashSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Reports an {@link InvalidCredentialPropertyException} with the property's name, where it is
 * set and why it is invalid, but never its value.
 */
final class InvalidCredentialPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidCredentialPropertyException> {

	private final @Nullable Environment environment;

	InvalidCredentialPropertyFailureAnalyzer(@Nullable Environment environment) {
		this.environment = environment;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidCredentialPropertyException cause) {
		StringBuilder description = new StringBuilder("Invalid value for configuration property '")
			.append(cause.getName())
			.append("'");
		Set<String> origins = origins(cause.getName());
		if (!origins.isEmpty()) {
			description.append(" (set in ").append(String.join(", ", origins)).append(")");
		}
		description.append(". The value is not shown because it may hold credentials.")
			.append(String.format("%n%nReason: "))
			.append(cause.getReason());
		return new FailureAnalysis(description.toString(), "Review the value of the property with the provided reason. "
				+ "Credentials belong in batch.pushgateway.username and password, or token.", cause);
	}

	private Set<String> origins(String propertyName) {
		Set<String> origins = new LinkedHashSet<>();
		if (this.environment == null) {
			return origins;
		}
		ConfigurationPropertyName name = ConfigurationPropertyName.of(propertyName);
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			ConfigurationProperty property = source.getConfigurationProperty(name);
			if (property != null) {
				Origin origin = property.getOrigin();
				if (origin != null) {
					origins.add(origin.toString());
				}
				else if (source.getUnderlyingSource() instanceof PropertySource<?> propertySource) {
					origins.add("property source '" + propertySource.getName() + "'");
				}
			}
		}
		return origins;
	}

}
