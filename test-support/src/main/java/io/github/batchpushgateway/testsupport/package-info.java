/**
 * Test fixtures that run the real Prometheus binaries (Pushgateway, Prometheus,
 * Alertmanager, promtool, amtool) on free loopback ports with temporary directories.
 * A missing binary fails with a message naming {@code ./scripts/setup}.
 */
package io.github.batchpushgateway.testsupport;
