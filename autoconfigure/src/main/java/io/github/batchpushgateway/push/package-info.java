/**
 * How job state is sent: one sender per target with its newest-state slots, retries and redelivery on a scheduler, the Pushgateway and textfile clients, and what is logged and counted about each push.
 * <p>For applications: {@link io.github.batchpushgateway.push.PushClient} for targets of their own (with the
 * ready-made {@link io.github.batchpushgateway.push.PushgatewayHttpClient} and
 * {@link io.github.batchpushgateway.push.TextfileClient}, and {@link io.github.batchpushgateway.push.PushGroup},
 * {@link io.github.batchpushgateway.push.GroupOutcomes} and {@link io.github.batchpushgateway.push.PushRejectedException}
 * in its contract), and {@link io.github.batchpushgateway.push.PushListener} to be told of every push. Every other
 * public type here is internal: public only for the starter's other packages, not an extension point.
 */
@NullMarked
package io.github.batchpushgateway.push;

import org.jspecify.annotations.NullMarked;
