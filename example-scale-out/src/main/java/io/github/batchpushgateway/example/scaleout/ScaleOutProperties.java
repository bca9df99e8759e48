package io.github.batchpushgateway.example.scaleout;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Shape of the example's work: how many items, in how many partitions, committed how
 * often, and how slowly, so that a run lasts long enough to be watched.
 */
@ConfigurationProperties("scale-out")
public class ScaleOutProperties {

	/** Number of items each run reads, processes and writes. */
	private long items = 2000;

	/** Number of partitions the partitioned job splits the items into. */
	private int gridSize = 4;

	/** Number of items per chunk: a commit every so many items, in each JVM. */
	private int commitInterval = 10;

	/** Time a worker spends on each item, so that a run lasts tens of seconds. */
	private Duration itemDelay = Duration.ofMillis(20);

	/** How often the manager reads the partitions' step executions back from the job repository. */
	private Duration pollInterval = Duration.ofSeconds(1);

	/** How long the manager waits for all partitions before its step fails. */
	private Duration partitionTimeout = Duration.ofMinutes(5);

	/** Number of chunks the manager of the chunked job may have sent and not yet had answered. */
	private int throttleLimit = 4;

	public long getItems() {
		return this.items;
	}

	public void setItems(long items) {
		this.items = items;
	}

	public int getGridSize() {
		return this.gridSize;
	}

	public void setGridSize(int gridSize) {
		this.gridSize = gridSize;
	}

	public int getCommitInterval() {
		return this.commitInterval;
	}

	public void setCommitInterval(int commitInterval) {
		this.commitInterval = commitInterval;
	}

	public Duration getItemDelay() {
		return this.itemDelay;
	}

	public void setItemDelay(Duration itemDelay) {
		this.itemDelay = itemDelay;
	}

	public Duration getPollInterval() {
		return this.pollInterval;
	}

	public void setPollInterval(Duration pollInterval) {
		this.pollInterval = pollInterval;
	}

	public Duration getPartitionTimeout() {
		return this.partitionTimeout;
	}

	public void setPartitionTimeout(Duration partitionTimeout) {
		this.partitionTimeout = partitionTimeout;
	}

	public int getThrottleLimit() {
		return this.throttleLimit;
	}

	public void setThrottleLimit(int throttleLimit) {
		this.throttleLimit = throttleLimit;
	}

}
