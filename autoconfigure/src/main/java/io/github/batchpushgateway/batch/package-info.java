/**
 * When job state is pushed: the listeners on Spring Batch's jobs and steps, the recorder the job's thread reports to, the heartbeat, the shutdown, and the pipeline that assembles them.
 */
@NullMarked
package io.github.batchpushgateway.batch;

import org.jspecify.annotations.NullMarked;
