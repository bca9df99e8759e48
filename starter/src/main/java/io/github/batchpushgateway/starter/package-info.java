/**
 * The starter holds no code: it brings the auto-configuration, Spring Batch and the Prometheus
 * Pushgateway client. This file exists so that javadoc and source jars are produced.
 */
package io.github.batchpushgateway.starter;
