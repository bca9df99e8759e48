package io.github.batchpushgateway.batch;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.util.Assert;

/**
 * Asks the publisher every progress interval to push the jobs that have advanced. Progress is
 * read from the step executions' counts, which covers chunk-oriented steps old and new and
 * multi-threaded steps alike, and costs the job's threads nothing.
 */
public final class ProgressMonitor implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ProgressMonitor.class);

	private final ScheduledExecutorService scheduler;

	/**
	 * Starts monitoring.
	 * @param publisher publishes the progress
	 * @param interval how often to look
	 */
	public ProgressMonitor(JobStatePublisher publisher, Duration interval) {
		Assert.notNull(publisher, "'publisher' must not be null");
		Assert.isTrue(interval != null && !interval.isNegative() && !interval.isZero(), "'interval' must be positive");
		this.scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "batch-pushgateway-progress");
			thread.setDaemon(true);
			return thread;
		});
		long millis = interval.toMillis();
		this.scheduler.scheduleWithFixedDelay(() -> {
			try {
				publisher.publishProgress();
			}
			catch (RuntimeException ex) {
				// An exception would cancel the schedule: log it and keep going.
				logger.warn("Could not publish job progress", ex);
			}
		}, millis, millis, TimeUnit.MILLISECONDS);
	}

	/**
	 * Stops monitoring.
	 */
	@Override
	public void close() {
		this.scheduler.shutdownNow();
	}

}
