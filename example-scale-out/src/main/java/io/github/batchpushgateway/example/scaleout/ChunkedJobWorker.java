package io.github.batchpushgateway.example.scaleout;

import javax.sql.DataSource;

import org.springframework.amqp.core.AmqpTemplate;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.batch.integration.chunk.RemoteChunkingWorkerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.integration.amqp.dsl.Amqp;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.dsl.IntegrationFlow;

/**
 * A worker of {@code chunkedJob}: takes chunks from RabbitMQ, processes and writes their
 * items, and replies to the manager with the counts. It has no step execution of its own:
 * the manager's step holds the counts.
 */
@Configuration(proxyBeanMethods = false)
@Profile("worker")
class ChunkedJobWorker {

	@Bean
	IntegrationFlow chunkWorker(ScaleOutProperties properties, DataSource dataSource,
			DirectChannel chunkRequestsIn, DirectChannel chunkRepliesOut) {
		return new RemoteChunkingWorkerBuilder<Long, Long>()
			.itemProcessor(new SlowItemProcessor(properties.getItemDelay()))
			.itemWriter(ProcessedItems.writer(dataSource))
			.inputChannel(chunkRequestsIn)
			.outputChannel(chunkRepliesOut)
			.build();
	}

	@Bean
	DirectChannel chunkRequestsIn() {
		return new DirectChannel();
	}

	@Bean
	DirectChannel chunkRepliesOut() {
		return new DirectChannel();
	}

	@Bean
	IntegrationFlow chunkRequestsFromBroker(ConnectionFactory connectionFactory, DirectChannel chunkRequestsIn) {
		return IntegrationFlow.from(Broker.inbound(connectionFactory, Broker.CHUNK_REQUESTS))
			.channel(chunkRequestsIn)
			.get();
	}

	@Bean
	IntegrationFlow chunkRepliesToBroker(DirectChannel chunkRepliesOut, AmqpTemplate amqpTemplate) {
		return IntegrationFlow.from(chunkRepliesOut)
			.handle(Amqp.outboundAdapter(amqpTemplate).routingKey(Broker.CHUNK_REPLIES))
			.get();
	}

}
