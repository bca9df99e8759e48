/**
 * When job state is pushed: the listeners on Spring Batch's jobs and steps, the recorder the job's thread reports to, the heartbeat, the shutdown, and the pipeline that assembles them.
 * <p>For applications: {@link io.github.batchpushgateway.batch.BatchPushListenerRegistrar}, whose
 * {@code register(Job)} makes a job that is not a bean push. Every other public type here is internal: public only
 * for the starter's other packages, not an extension point.
 */
@NullMarked
package io.github.batchpushgateway.batch;

import org.jspecify.annotations.NullMarked;
