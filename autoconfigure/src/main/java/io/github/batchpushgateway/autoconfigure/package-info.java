/**
 * Auto-configuration that wires the starter: properties, their startup checks, and the beans of the other packages.
 * <p>For applications: {@link io.github.batchpushgateway.autoconfigure.BatchPushgatewayProperties} (the
 * {@code batch.pushgateway.*} properties) and
 * {@link io.github.batchpushgateway.autoconfigure.PushgatewayClientCustomizer}. The auto-configuration classes are
 * public because Spring Boot requires it; the beans they define are the starter's own parts and do not back off.
 */
@NullMarked
package io.github.batchpushgateway.autoconfigure;

import org.jspecify.annotations.NullMarked;
