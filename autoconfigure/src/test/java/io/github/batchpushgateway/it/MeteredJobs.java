package io.github.batchpushgateway.it;

import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.stream.IntStream;

import io.github.batchpushgateway.micrometer.BatchMeters;
import io.micrometer.core.instrument.DistributionSummary;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Jobs whose code records Micrometer meters through {@link BatchMeters}.
 * <ul>
 * <li>{@code meteredJob}: a chunk step over the items 1 to the parameter {@code items}, whose
 * processor counts each item as {@code records.exported} tagged {@code parity}, times it as
 * {@code record.export} (10 ms each) and adds the item to the summary {@code record.size}; then a
 * tasklet that sets the gauge {@code export.backlog} to 7.</li>
 * <li>{@code quietJob}: one tasklet that records nothing.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class MeteredJobs {

	@Bean
	Job meteredJob(JobRepository jobRepository, PlatformTransactionManager transactionManager, BatchMeters meters) {
		Step export = new StepBuilder("exportStep", jobRepository).<Integer, Integer>chunk(2)
			.transactionManager(transactionManager)
			.reader(new ItemStreamReader<Integer>() {

				private Iterator<Integer> items = Collections.emptyIterator();

				@Override
				public void open(ExecutionContext executionContext) {
					long count = StepSynchronizationManager.getContext()
						.getStepExecution()
						.getJobParameters()
						.getLong("items", 3L);
					this.items = IntStream.rangeClosed(1, (int) count).boxed().iterator();
				}

				@Override
				public Integer read() {
					return this.items.hasNext() ? this.items.next() : null;
				}

			})
			.processor((item) -> {
				meters.registry().counter("records.exported", "parity", (item % 2 == 0) ? "even" : "odd").increment();
				meters.registry().timer("record.export").record(Duration.ofMillis(10));
				DistributionSummary.builder("record.size").baseUnit("bytes").register(meters.registry()).record(item);
				return item;
			})
			.writer((chunk) -> {
			})
			.build();
		Step backlog = new StepBuilder("backlogStep", jobRepository).tasklet((contribution, context) -> {
			meters.registry().gauge("export.backlog", 7);
			return RepeatStatus.FINISHED;
		}, transactionManager).build();
		return new JobBuilder("meteredJob", jobRepository).start(export).next(backlog).build();
	}

	@Bean
	Job quietJob(JobRepository jobRepository, PlatformTransactionManager transactionManager) {
		Step step = new StepBuilder("quietStep", jobRepository)
			.tasklet((contribution, context) -> RepeatStatus.FINISHED, transactionManager)
			.build();
		return new JobBuilder("quietJob", jobRepository).start(step).build();
	}

}
