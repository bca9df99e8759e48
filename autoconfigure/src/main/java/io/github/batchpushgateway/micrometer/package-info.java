/**
 * Micrometer meters in a job's group: the meters job code records for its running execution, and Spring Batch's item
 * and chunk observations.
 * <p>For applications: {@link io.github.batchpushgateway.micrometer.BatchMeters}. Every other public type here is
 * internal: public only for the starter's other packages, not an extension point.
 */
@NullMarked
package io.github.batchpushgateway.micrometer;

import org.jspecify.annotations.NullMarked;
