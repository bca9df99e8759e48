/**
 * Test support: a user's own tests do not push job state unless they opt in with
 * {@link io.github.batchpushgateway.autoconfigure.test.AutoConfigureBatchPushgateway}.
 */
@NullMarked
package io.github.batchpushgateway.autoconfigure.test;

import org.jspecify.annotations.NullMarked;
