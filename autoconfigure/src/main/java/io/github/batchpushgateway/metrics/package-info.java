/**
 * What is pushed: the metrics of a job group, built from its running execution, its history and its schedule, and the extension point for an application's own metrics.
 * <p>For applications: {@link io.github.batchpushgateway.metrics.JobMetricsContributor}. Every other public type here
 * is internal: public only for the starter's other packages, not an extension point.
 */
@NullMarked
package io.github.batchpushgateway.metrics;

import org.jspecify.annotations.NullMarked;
