package io.github.batchpushgateway.metrics;

import java.util.Collection;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.springframework.batch.core.job.JobExecution;

/**
 * Adds an application's own metrics to a job's Pushgateway group. Every push is a full
 * replacement (PUT) of the group, so contributed metrics are asked for again at every push:
 * job start, each step end, progress while a step runs, and job end.
 *
 * <p>Declare implementations as beans; the auto-configuration collects all of them. Return an
 * empty collection for jobs you do not cover. Implementations are called on the starter's
 * sending thread just before each push, never on the job's thread: a slow contributor delays
 * pushes, not jobs. They must be thread-safe, as the job's own threads go on meanwhile. An
 * exception is logged and the push goes ahead without this contributor's metrics.
 *
 * <p>Export timestamps rather than ages: the gateway keeps the last pushed value, so an age would
 * stop growing when the job stops running, whereas {@code time() - x} in PromQL keeps working.
 * Never put personal data into label values.
 */
@FunctionalInterface
public interface JobMetricsContributor {

	/**
	 * Returns the metrics to add to the group of the given job execution.
	 * @param jobExecution the running or just finished execution; read it, do not change it
	 * @return metric snapshots without timestamps, whose names must not clash with the
	 * starter's own ({@code batch_job_*}, {@code batch_step_*})
	 */
	Collection<MetricSnapshot> contribute(JobExecution jobExecution);

	/**
	 * Called once an ended execution has been taken into its group's history, so that what a
	 * contributor keeps for the execution can go; it may still be asked to
	 * {@link #contribute} for the execution afterwards, while the group shows it. Called on the
	 * sending side; does nothing by default.
	 * @param jobExecution the execution that ended
	 */
	default void executionEnded(JobExecution jobExecution) {
	}

}
