package io.github.batchpushgateway.example.scaleout;

import org.springframework.amqp.core.AmqpTemplate;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.RunIdIncrementer;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.integration.partition.RemotePartitioningManagerStepBuilderFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.integration.amqp.dsl.Amqp;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.dsl.IntegrationFlow;

/**
 * The manager of {@code partitionedJob}: its step {@code partitionedManagerStep} splits
 * the items into {@code scale-out.grid-size} ranges, sends one request per range to the
 * workers over RabbitMQ, and learns how they went only by polling their step executions
 * in the shared job repository, failing after {@code scale-out.partition-timeout}.
 */
@Configuration(proxyBeanMethods = false)
@Profile("manager")
class PartitionedJobManager {

	@Bean
	Job partitionedJob(JobRepository jobRepository, Step partitionedManagerStep) {
		return new JobBuilder("partitionedJob", jobRepository).incrementer(new RunIdIncrementer())
			.start(partitionedManagerStep)
			.build();
	}

	@Bean
	Step partitionedManagerStep(RemotePartitioningManagerStepBuilderFactory steps, ScaleOutProperties properties,
			DirectChannel partitionRequestsOut) {
		return steps.get("partitionedManagerStep")
			.partitioner(PartitionedJobWorker.WORKER_STEP, new RangePartitioner(properties.getItems()))
			.gridSize(properties.getGridSize())
			.outputChannel(partitionRequestsOut)
			// No input channel: the manager polls the job repository for the partitions' ends.
			.pollInterval(properties.getPollInterval().toMillis())
			.timeout(properties.getPartitionTimeout().toMillis())
			.build();
	}

	@Bean
	DirectChannel partitionRequestsOut() {
		return new DirectChannel();
	}

	@Bean
	IntegrationFlow partitionRequestsToBroker(DirectChannel partitionRequestsOut, AmqpTemplate amqpTemplate) {
		return IntegrationFlow.from(partitionRequestsOut)
			.handle(Amqp.outboundAdapter(amqpTemplate).routingKey(Broker.PARTITION_REQUESTS))
			.get();
	}

}
