package io.github.batchpushgateway.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import javax.net.ssl.SSLSocketFactory;

import io.github.batchpushgateway.autoconfigure.BatchPushgatewayProperties.Format;
import io.github.batchpushgateway.batch.BatchPushListenerRegistrar;
import io.github.batchpushgateway.batch.JobHistoryTracker;
import io.github.batchpushgateway.batch.JobNameFilter;
import io.github.batchpushgateway.batch.JobPushListener;
import io.github.batchpushgateway.batch.JobStatePublisher;
import io.github.batchpushgateway.batch.ProgressMonitor;
import io.github.batchpushgateway.batch.PushGroupResolver;
import io.github.batchpushgateway.batch.StepPushListener;
import io.github.batchpushgateway.metrics.JobMetricsContributor;
import io.github.batchpushgateway.metrics.JobMetricsSnapshotFactory;
import io.github.batchpushgateway.metrics.JobSchedule;
import io.github.batchpushgateway.push.CompositePushListener;
import io.github.batchpushgateway.push.LatestSnapshotPusher;
import io.github.batchpushgateway.push.MicrometerPushListener;
import io.github.batchpushgateway.push.OutageLogger;
import io.github.batchpushgateway.push.PrometheusPushClient;
import io.github.batchpushgateway.push.PushClient;
import io.github.batchpushgateway.push.PushConnectionFactory;
import io.github.batchpushgateway.push.PushListener;
import io.github.batchpushgateway.push.PushRejectedException;
import io.micrometer.core.instrument.MeterRegistry;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.exporter.pushgateway.Scheme;
import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.util.function.SingletonSupplier;

/**
 * Auto-configuration that makes every Spring Batch job push its state to a Prometheus
 * Pushgateway at job start, at each step's end, while it progresses and at job end. It only
 * wires: the pushing itself lives in {@code io.github.batchpushgateway.metrics} (what is pushed),
 * {@code .push} (how it is sent) and {@code .batch} (when). Every bean backs off when the
 * application defines its own.
 */
@AutoConfiguration
@ConditionalOnClass({ AbstractJob.class, PushGateway.class })
@ConditionalOnBooleanProperty(name = "batch.pushgateway.enabled", matchIfMissing = true)
@EnableConfigurationProperties(BatchPushgatewayProperties.class)
public final class BatchPushgatewayAutoConfiguration {

	BatchPushgatewayAutoConfiguration(BatchPushgatewayProperties properties) {
		BatchPushgatewayPropertiesValidator.validate(properties);
	}

	/**
	 * Static, so that it exists before the jobs it attaches to; its settings are bound directly
	 * and its listeners look the publisher up only at the first event, so creating it early
	 * creates nothing else early.
	 */
	@Bean
	@ConditionalOnMissingBean
	static BatchPushListenerRegistrar batchPushListenerRegistrar(Environment environment,
			ObjectProvider<JobStatePublisher> publisher) {
		BatchPushgatewayProperties.Jobs jobs = Binder.get(environment)
			.bind("batch.pushgateway.jobs", BatchPushgatewayProperties.Jobs.class)
			.orElseGet(BatchPushgatewayProperties.Jobs::new);
		SingletonSupplier<JobStatePublisher> lookup = SingletonSupplier.of(publisher::getObject);
		return new BatchPushListenerRegistrar(new JobNameFilter(jobs.getInclude(), jobs.getExclude()),
				new JobPushListener(lookup), new StepPushListener(lookup));
	}

	@Bean
	@ConditionalOnMissingBean
	PushGroupResolver batchPushGroupResolver(BatchPushgatewayProperties properties) {
		return new PushGroupResolver(properties.getGroupingKey(), properties.getGroupingParameters());
	}

	@Bean
	@ConditionalOnMissingBean
	JobMetricsSnapshotFactory batchJobMetricsSnapshotFactory(ObjectProvider<JobMetricsContributor> contributors) {
		return new JobMetricsSnapshotFactory(() -> contributors.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	PushClient batchPushClient(BatchPushgatewayProperties properties, ObjectProvider<SslBundles> sslBundles,
			ObjectProvider<PushGatewayBuilderCustomizer> customizers) {
		SSLSocketFactory socketFactory = sslSocketFactory(properties, sslBundles);
		return new PrometheusPushClient(() -> {
			// Empty client properties: what application.yml says is what applies, not the
			// client's own prometheus.properties or system properties.
			PushGateway.Builder builder = PushGateway.builder(PrometheusProperties.builder().build())
				.address(properties.getAddress())
				.scheme((properties.getScheme() == BatchPushgatewayProperties.Scheme.HTTPS) ? Scheme.HTTPS : Scheme.HTTP)
				.format((properties.getFormat() == Format.TEXT)
						? io.prometheus.metrics.exporter.pushgateway.Format.PROMETHEUS_TEXT
						: io.prometheus.metrics.exporter.pushgateway.Format.PROMETHEUS_PROTOBUF)
				.connectionTimeout(properties.getConnectTimeout())
				.readTimeout(properties.getReadTimeout())
				.connectionFactory(new PushConnectionFactory(socketFactory));
			if (properties.getToken() != null) {
				builder.bearerToken(properties.getToken());
			}
			if (properties.getUsername() != null && properties.getPassword() != null) {
				builder.basicAuth(properties.getUsername(), properties.getPassword());
			}
			customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
			return builder;
		});
	}

	private static SSLSocketFactory sslSocketFactory(BatchPushgatewayProperties properties,
			ObjectProvider<SslBundles> sslBundles) {
		String bundle = properties.getSsl().getBundle();
		if (bundle == null) {
			return null;
		}
		return sslBundles.getObject().getBundle(bundle).createSslContext().getSocketFactory();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	LatestSnapshotPusher batchLatestSnapshotPusher(BatchPushgatewayProperties properties, PushClient client,
			ObjectProvider<PushListener> listeners) {
		BatchPushgatewayProperties.Retry retry = properties.getRetry();
		RetryPolicy retryPolicy = RetryPolicy.builder()
			.maxRetries(retry.getMaxRetries())
			.delay(retry.getDelay())
			.multiplier(retry.getMultiplier())
			.maxDelay(retry.getMaxDelay())
			.predicate(PushRejectedException::isWorthRetrying)
			.build();
		List<PushListener> all = new ArrayList<>();
		all.add(new OutageLogger(properties.getScheme().name().toLowerCase() + "://" + properties.getAddress()));
		listeners.orderedStream().forEach(all::add);
		return new LatestSnapshotPusher(client, retryPolicy, retry.getRedeliveryInterval(),
				properties.getFlushTimeout(), new CompositePushListener(all));
	}

	@Bean
	@ConditionalOnMissingBean
	JobHistoryTracker batchJobHistoryTracker(BatchPushgatewayProperties properties,
			ObjectProvider<JobRepository> jobRepository, PushGroupResolver groups) {
		return new JobHistoryTracker(jobRepository.getIfAvailable(), groups, properties.getHistoryScanLimit());
	}

	@Bean
	@ConditionalOnMissingBean
	JobStatePublisher batchJobStatePublisher(BatchPushgatewayProperties properties, PushGroupResolver groups,
			JobHistoryTracker histories, JobMetricsSnapshotFactory snapshots, LatestSnapshotPusher pusher) {
		return new JobStatePublisher(groups, histories, snapshots, schedules(properties), pusher,
				properties.getFlushTimeout());
	}

	private static Function<String, JobSchedule> schedules(BatchPushgatewayProperties properties) {
		Duration progress = properties.getProgressInterval();
		BatchPushgatewayProperties.Jobs jobs = properties.getJobs();
		return (jobName) -> {
			BatchPushgatewayProperties.JobSettings settings = jobs.getOverrides().get(jobName);
			Duration expected = (settings != null && settings.getExpectedInterval() != null)
					? settings.getExpectedInterval() : jobs.getExpectedInterval();
			return new JobSchedule(progress, expected);
		};
	}

	/**
	 * Nothing depends on the progress monitor: keep lazy initialization from never creating it.
	 */
	@Bean
	static LazyInitializationExcludeFilter batchProgressMonitorEagerly() {
		return LazyInitializationExcludeFilter.forBeanTypes(ProgressMonitor.class);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	ProgressMonitor batchProgressMonitor(BatchPushgatewayProperties properties, JobStatePublisher publisher) {
		return new ProgressMonitor(publisher, properties.getProgressInterval());
	}

	@Bean
	UnknownJobOverridesWarning batchUnknownJobOverridesWarning(BatchPushgatewayProperties properties,
			ObjectProvider<org.springframework.batch.core.job.Job> jobs) {
		return new UnknownJobOverridesWarning(properties.getJobs().getOverrides().keySet(), jobs);
	}

	@Bean
	PushTargetStartupLog batchPushTargetStartupLog(BatchPushgatewayProperties properties,
			ObjectProvider<org.springframework.batch.core.job.Job> jobs) {
		return new PushTargetStartupLog(properties, jobs);
	}

	/**
	 * Self-monitoring in the application's own registry, when Micrometer is there.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class MicrometerConfiguration {

		@Bean
		@ConditionalOnMissingBean
		MicrometerPushListener batchMicrometerPushListener(ObjectProvider<MeterRegistry> registry) {
			return new MicrometerPushListener(registry::getIfUnique);
		}

	}

}
