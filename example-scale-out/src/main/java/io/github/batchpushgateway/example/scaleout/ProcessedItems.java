package io.github.batchpushgateway.example.scaleout;

import javax.sql.DataSource;

import org.springframework.batch.infrastructure.item.database.JdbcBatchItemWriter;
import org.springframework.batch.infrastructure.item.database.builder.JdbcBatchItemWriterBuilder;

/**
 * Where the workers write: table {@code processed_item} (see {@code schema.sql}), one row
 * per item written, committed with the chunk and its step execution.
 */
final class ProcessedItems {

	private ProcessedItems() {
	}

	static JdbcBatchItemWriter<Long> writer(DataSource dataSource) {
		return new JdbcBatchItemWriterBuilder<Long>().dataSource(dataSource)
			.sql("INSERT INTO processed_item (item) VALUES (?)")
			.itemPreparedStatementSetter((item, statement) -> statement.setLong(1, item))
			.build();
	}

}
