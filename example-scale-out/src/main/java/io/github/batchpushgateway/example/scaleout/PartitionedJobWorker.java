package io.github.batchpushgateway.example.scaleout;

import javax.sql.DataSource;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.integration.partition.RemotePartitioningWorkerStepBuilderFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * A worker of {@code partitionedJob}: takes partition requests from RabbitMQ and runs
 * {@code partitionedWorkerStep} on each partition's range, committing every
 * {@code scale-out.commit-interval} items to the shared job repository, where the
 * manager reads how the partition went.
 */
@Configuration(proxyBeanMethods = false)
@Profile("worker")
class PartitionedJobWorker {

	static final String WORKER_STEP = "partitionedWorkerStep";

	@Bean
	Step partitionedWorkerStep(RemotePartitioningWorkerStepBuilderFactory steps, ScaleOutProperties properties,
			DirectChannel partitionRequestsIn, RangeItemReader partitionReader, DataSource dataSource,
			PlatformTransactionManager transactionManager) {
		return steps.get(WORKER_STEP)
			.inputChannel(partitionRequestsIn)
			.<Long, Long>chunk(properties.getCommitInterval(), transactionManager)
			.reader(partitionReader)
			.processor(new SlowItemProcessor(properties.getItemDelay()))
			.writer(ProcessedItems.writer(dataSource))
			.build();
	}

	@Bean
	@StepScope
	RangeItemReader partitionReader(@Value("#{stepExecutionContext['from']}") long from,
			@Value("#{stepExecutionContext['to']}") long to) {
		return new RangeItemReader(from, to);
	}

	@Bean
	DirectChannel partitionRequestsIn() {
		return new DirectChannel();
	}

	@Bean
	IntegrationFlow partitionRequestsFromBroker(ConnectionFactory connectionFactory,
			DirectChannel partitionRequestsIn) {
		return IntegrationFlow.from(Broker.inbound(connectionFactory, Broker.PARTITION_REQUESTS))
			.channel(partitionRequestsIn)
			.get();
	}

}
