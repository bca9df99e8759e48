/**
 * Auto-configuration that wires the starter: properties, their startup checks, and the beans of the other packages.
 */
@NullMarked
package io.github.batchpushgateway.autoconfigure;

import org.jspecify.annotations.NullMarked;
