package io.github.batchpushgateway.example.scaleout;

import java.util.List;

import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.support.converter.SimpleMessageConverter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.amqp.dsl.Amqp;
import org.springframework.integration.amqp.dsl.AmqpInboundChannelAdapterSMLCSpec;

/**
 * The RabbitMQ queues between manager and workers, declared by every JVM that connects
 * (declaring is idempotent), and how their messages are read.
 *
 * <p>
 * Spring Batch Integration sends Java-serialised requests and replies
 * ({@code StepExecutionRequest}, {@code ChunkRequest}, {@code ChunkResponse}); reading
 * them back is allowed for Spring Batch's and the JDK's classes only.
 */
@Configuration(proxyBeanMethods = false)
class Broker {

	/** Partition requests from the manager of {@code partitionedJob} to the workers. */
	static final String PARTITION_REQUESTS = "scale-out.partition.requests";

	/** Chunks from the manager of {@code chunkedJob} to the workers. */
	static final String CHUNK_REQUESTS = "scale-out.chunk.requests";

	/** Results of chunks from the workers back to the manager of {@code chunkedJob}. */
	static final String CHUNK_REPLIES = "scale-out.chunk.replies";

	private static final List<String> DESERIALIZABLE = List.of("org.springframework.batch.*", "java.util.*",
			"java.lang.*", "java.time.*");

	@Bean
	Queue partitionRequests() {
		return new Queue(PARTITION_REQUESTS);
	}

	@Bean
	Queue chunkRequests() {
		return new Queue(CHUNK_REQUESTS);
	}

	@Bean
	Queue chunkReplies() {
		return new Queue(CHUNK_REPLIES);
	}

	/**
	 * An inbound adapter that reads Spring Batch's messages from a queue, one at a time
	 * per consumer: a worker takes the next partition or chunk only when it is free, so
	 * the other worker gets its share, and a message it had not finished goes back to the
	 * queue when it dies.
	 * @param connectionFactory the broker connection
	 * @param queue the queue's name
	 * @return the adapter's spec
	 */
	static AmqpInboundChannelAdapterSMLCSpec inbound(ConnectionFactory connectionFactory, String queue) {
		SimpleMessageConverter converter = new SimpleMessageConverter();
		converter.setAllowedListPatterns(DESERIALIZABLE);
		return Amqp.inboundAdapter(connectionFactory, queue)
			.messageConverter(converter)
			.configureContainer((container) -> container.prefetchCount(1));
	}

}
