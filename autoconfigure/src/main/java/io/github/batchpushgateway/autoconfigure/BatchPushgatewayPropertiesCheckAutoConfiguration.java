package io.github.batchpushgateway.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration that checks the {@code batch.pushgateway.*} configuration at startup even
 * when the starter is disabled, so that {@code enabled: flase} fails rather than silently
 * switching the starter off, and a misspelt key is named in a WARN with the key meant.
 */
@AutoConfiguration
public final class BatchPushgatewayPropertiesCheckAutoConfiguration {

	/**
	 * Static, so that the check runs before any bean is created.
	 */
	@Bean
	static BatchPushgatewayPropertiesCheck batchPushgatewayPropertiesCheck(Environment environment) {
		return new BatchPushgatewayPropertiesCheck(environment);
	}

}
