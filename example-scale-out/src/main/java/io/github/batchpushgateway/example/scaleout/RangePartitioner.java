package io.github.batchpushgateway.example.scaleout;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.util.Assert;

/**
 * Splits items {@code 1..items} into consecutive ranges, one per partition, as
 * {@code from} and {@code to} in each partition's execution context (only numbers: no
 * data of the items travels through the job repository).
 */
class RangePartitioner implements Partitioner {

	static final String FROM = "from";

	static final String TO = "to";

	private final long items;

	RangePartitioner(long items) {
		Assert.isTrue(items > 0, "'items' must be positive");
		this.items = items;
	}

	@Override
	public Map<String, ExecutionContext> partition(int gridSize) {
		Assert.isTrue(gridSize > 0, "'gridSize' must be positive");
		Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
		long size = this.items / gridSize;
		long remainder = this.items % gridSize;
		long from = 1;
		for (int partition = 0; partition < gridSize; partition++) {
			// The first partitions take one item more when the items do not divide evenly.
			long to = from + size - 1 + ((partition < remainder) ? 1 : 0);
			ExecutionContext context = new ExecutionContext();
			context.putLong(FROM, from);
			context.putLong(TO, to);
			partitions.put("partition" + partition, context);
			from = to + 1;
		}
		return partitions;
	}

}
