package io.github.batchpushgateway.metrics;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How often a job is expected to run and to report progress, pushed with its state so that one
 * generic set of alert rules serves every job.
 *
 * @param progressInterval how often a running job pushes its progress
 * @param expectedInterval how often the job is expected to succeed, {@code null} when not configured
 */
public record JobSchedule(Duration progressInterval, @Nullable Duration expectedInterval) {
}
