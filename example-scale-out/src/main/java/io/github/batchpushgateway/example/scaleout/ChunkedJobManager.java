package io.github.batchpushgateway.example.scaleout;

import org.springframework.amqp.core.AmqpTemplate;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.RunIdIncrementer;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.integration.chunk.RemoteChunkingManagerStepBuilderFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.integration.amqp.dsl.Amqp;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.channel.QueueChannel;
import org.springframework.integration.dsl.IntegrationFlow;

/**
 * The manager of {@code chunkedJob}: its step {@code chunkedManagerStep} reads the items
 * itself and sends them in chunks of {@code scale-out.commit-interval} to the workers over
 * RabbitMQ, at most {@code scale-out.throttle-limit} unanswered at a time; the workers
 * process and write each chunk and reply with its counts, which the manager adds to its
 * own step execution.
 */
@Configuration(proxyBeanMethods = false)
@Profile("manager")
class ChunkedJobManager {

	@Bean
	Job chunkedJob(JobRepository jobRepository, Step chunkedManagerStep) {
		return new JobBuilder("chunkedJob", jobRepository).incrementer(new RunIdIncrementer())
			.start(chunkedManagerStep)
			.build();
	}

	@Bean
	Step chunkedManagerStep(RemoteChunkingManagerStepBuilderFactory steps, ScaleOutProperties properties,
			DirectChannel chunkRequestsOut, QueueChannel chunkRepliesIn) {
		return steps.<Long, Long>get("chunkedManagerStep")
			.chunk(properties.getCommitInterval())
			.reader(new RangeItemReader(1, properties.getItems()))
			.outputChannel(chunkRequestsOut)
			.inputChannel(chunkRepliesIn)
			.throttleLimit(properties.getThrottleLimit())
			.build();
	}

	@Bean
	DirectChannel chunkRequestsOut() {
		return new DirectChannel();
	}

	@Bean
	QueueChannel chunkRepliesIn() {
		return new QueueChannel();
	}

	@Bean
	IntegrationFlow chunkRequestsToBroker(DirectChannel chunkRequestsOut, AmqpTemplate amqpTemplate) {
		return IntegrationFlow.from(chunkRequestsOut)
			.handle(Amqp.outboundAdapter(amqpTemplate).routingKey(Broker.CHUNK_REQUESTS))
			.get();
	}

	@Bean
	IntegrationFlow chunkRepliesFromBroker(ConnectionFactory connectionFactory, QueueChannel chunkRepliesIn) {
		return IntegrationFlow.from(Broker.inbound(connectionFactory, Broker.CHUNK_REPLIES))
			.channel(chunkRepliesIn)
			.get();
	}

}
