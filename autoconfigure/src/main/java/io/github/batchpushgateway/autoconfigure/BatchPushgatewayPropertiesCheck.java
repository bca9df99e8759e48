package io.github.batchpushgateway.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.Assert;

/**
 * Checks the {@code batch.pushgateway.*} configuration before any bean is created, whether the
 * starter is enabled or not: an {@code enabled} value that is not a boolean fails startup
 * (rather than silently switching the starter off), and every key the properties do not bind is
 * named in a WARN with the nearest known key.
 */
final class BatchPushgatewayPropertiesCheck implements BeanFactoryPostProcessor {

	static final String PREFIX = "batch.pushgateway";

	/** Read by the test support, not by the properties class. */
	static final String TEST_PUSH_PROPERTY = "test.push";

	private static final Log logger = LogFactory.getLog(BatchPushgatewayPropertiesCheck.class);

	private static final KnownPropertyNames knownNames = KnownPropertyNames.of(PREFIX,
			BatchPushgatewayProperties.class, TEST_PUSH_PROPERTY);

	private final Environment environment;

	BatchPushgatewayPropertiesCheck(Environment environment) {
		Assert.notNull(environment, "'environment' must not be null");
		this.environment = environment;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		// Fails with a BindException naming the property and its origin; Spring Boot's condition
		// alone would treat "flase" as false.
		Binder.get(this.environment).bind(PREFIX + ".enabled", Boolean.class);
		unknownProperties().forEach(logger::warn);
	}

	/**
	 * Describes each configured key under the prefix that nothing binds, once, in the order of
	 * precedence of its sources. The values are never shown: they may be credentials.
	 * @return one message per unknown key
	 */
	List<String> unknownProperties() {
		ConfigurationPropertyName prefix = ConfigurationPropertyName.of(PREFIX);
		Set<ConfigurationPropertyName> seen = new LinkedHashSet<>();
		List<String> messages = new ArrayList<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			if (!(source instanceof IterableConfigurationPropertySource iterable)) {
				continue;
			}
			boolean environmentVariables = source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource;
			iterable.filter(prefix::isAncestorOf).stream().forEach((name) -> {
				if (!knownNames.isKnown(name, environmentVariables) && seen.add(name)) {
					messages.add("Unknown configuration property '" + name + "'" + origin(source, name)
							+ " is ignored; did you mean '" + knownNames.nearest(name) + "'?");
				}
			});
		}
		return messages;
	}

	private static String origin(ConfigurationPropertySource source, ConfigurationPropertyName name) {
		ConfigurationProperty property = source.getConfigurationProperty(name);
		Origin origin = (property != null) ? property.getOrigin() : null;
		if (origin != null) {
			return " (from " + origin + ")";
		}
		return (source.getUnderlyingSource() instanceof PropertySource<?> propertySource)
				? " (from '" + propertySource.getName() + "')" : "";
	}

}
