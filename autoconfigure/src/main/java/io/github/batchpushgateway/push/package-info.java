/**
 * How job state is sent: one sender per target with its newest-state slots, retries and redelivery on a scheduler, the Pushgateway and textfile clients, and what is logged and counted about each push.
 */
@NullMarked
package io.github.batchpushgateway.push;

import org.jspecify.annotations.NullMarked;
