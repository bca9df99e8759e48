package io.github.batchpushgateway.example.scaleout;

import java.time.Duration;

import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Stands for the expensive work that makes a job worth spreading over JVMs: waits a fixed
 * time per item, then passes it on.
 */
class SlowItemProcessor implements ItemProcessor<Long, Long> {

	private final Duration itemDelay;

	SlowItemProcessor(Duration itemDelay) {
		this.itemDelay = itemDelay;
	}

	@Override
	public Long process(Long item) throws InterruptedException {
		Thread.sleep(this.itemDelay.toMillis());
		return item;
	}

}
