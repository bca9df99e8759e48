/**
 * What is pushed: the metrics of a job group, built from its running execution, its history and its schedule, and the extension point for an application's own metrics.
 */
@NullMarked
package io.github.batchpushgateway.metrics;

import org.jspecify.annotations.NullMarked;
