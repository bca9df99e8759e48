package io.github.batchpushgateway.example.scaleout;

import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;
import org.springframework.util.Assert;

/**
 * Reads the numbers {@code from..to}. Restartable: the count of items read is saved at each
 * commit, and a restart continues after it.
 */
class RangeItemReader extends AbstractItemCountingItemStreamItemReader<Long> {

	private final long from;

	RangeItemReader(long from, long to) {
		Assert.isTrue(from <= to + 1, "'from' must not be after 'to'");
		this.from = from;
		setName("range");
		setMaxItemCount(Math.toIntExact(to - from + 1));
	}

	@Override
	protected Long doRead() {
		// The count was incremented for this item already; stops at the maximum count.
		return this.from + getCurrentItemCount() - 1;
	}

	@Override
	protected void doOpen() {
	}

	@Override
	protected void doClose() {
	}

}
