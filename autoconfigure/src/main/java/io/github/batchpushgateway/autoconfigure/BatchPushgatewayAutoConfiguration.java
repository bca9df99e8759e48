package io.github.batchpushgateway.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLContext;
import javax.sql.DataSource;

import io.github.batchpushgateway.autoconfigure.BatchPushgatewayProperties.Format;
import io.github.batchpushgateway.batch.BatchPushListenerRegistrar;
import io.github.batchpushgateway.batch.GracefulStop;
import io.github.batchpushgateway.batch.JdbcStepExecutions;
import io.github.batchpushgateway.batch.JobNameFilter;
import io.github.batchpushgateway.batch.PushGroupResolver;
import io.github.batchpushgateway.batch.PushPipeline;
import io.github.batchpushgateway.metrics.JobMetricsContributor;
import io.github.batchpushgateway.metrics.JobMetricsSnapshotFactory;
import io.github.batchpushgateway.push.CompositePushListener;
import io.github.batchpushgateway.push.MicrometerPushListener;
import io.github.batchpushgateway.push.OutageLogger;
import io.github.batchpushgateway.push.PushClient;
import io.github.batchpushgateway.push.PushListener;
import io.github.batchpushgateway.push.PushRejectedException;
import io.github.batchpushgateway.push.PushgatewayHttpClient;
import io.github.batchpushgateway.push.TextfileClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.configuration.JobRegistry;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.ResourcelessJobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.function.SingletonSupplier;

/**
 * Auto-configuration that makes every Spring Batch job push its state to a Prometheus
 * Pushgateway at job start, at each step's end, while it progresses and at job end. It only
 * wires: the pushing itself lives in {@code io.github.batchpushgateway.metrics} (what is pushed),
 * {@code .push} (how it is sent) and {@code .batch} (when). The application extends it through
 * beans it declares: {@link PushClient}s (replacing the configured targets),
 * {@link PushgatewayClientCustomizer}s, {@link JobMetricsContributor}s and {@link PushListener}s.
 * The beans defined here are its own parts and do not back off: an application that wants
 * none of it sets {@code batch.pushgateway.enabled=false} or {@code jobs.exclude}.
 */
@AutoConfiguration
@ConditionalOnClass({ AbstractJob.class, PrometheusProtobufWriter.class })
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
	static BatchPushListenerRegistrar batchPushListenerRegistrar(Environment environment,
			ObjectProvider<PushPipeline> pipeline) {
		return new BatchPushListenerRegistrar(jobNameFilter(environment),
				SingletonSupplier.of(() -> pipeline.getObject().recorder()));
	}

	/**
	 * Which jobs push, bound directly from the environment for the post-processors that exist
	 * before the properties bean.
	 */
	static JobNameFilter jobNameFilter(Environment environment) {
		BatchPushgatewayProperties.Jobs jobs = Binder.get(environment)
			.bind("batch.pushgateway.jobs", BatchPushgatewayProperties.Jobs.class)
			.orElseGet(BatchPushgatewayProperties.Jobs::new);
		return new JobNameFilter(jobs.getInclude(), jobs.getExclude());
	}

	@Bean
	PushGroupResolver batchPushGroupResolver(BatchPushgatewayProperties properties) {
		return new PushGroupResolver(properties.getGroupingKey(), properties.getGroupingParameters());
	}

	@Bean
	JobMetricsSnapshotFactory batchJobMetricsSnapshotFactory(ObjectProvider<JobMetricsContributor> contributors) {
		// Looked up once, at the first push (after the context has started, as jobs run then):
		// a lookup in the bean factory at every push was the largest part of building its state.
		return new JobMetricsSnapshotFactory(SingletonSupplier.of(() -> contributors.orderedStream().toList()));
	}

	/**
	 * The targets: the application's own {@link PushClient} beans when it declares any, else the
	 * configured Pushgateways and textfile directory. Built at startup, though the pipeline uses them
	 * only from the first job event: an SSL bundle that does not exist or a customizer that throws
	 * fails the application's start, never a job.
	 */
	@Bean
	BatchPushTargets batchPushTargets(BatchPushgatewayProperties properties, ObjectProvider<PushClient> userClients,
			ObjectProvider<SslBundles> sslBundles, ObjectProvider<PushgatewayClientCustomizer> customizers) {
		List<PushClient> own = userClients.orderedStream().toList();
		if (!own.isEmpty()) {
			return new BatchPushTargets(own);
		}
		List<PushClient> clients = new ArrayList<>();
		SSLContext sslContext = sslContext(properties, sslBundles);
		List<PushgatewayClientCustomizer> resolved = customizers.orderedStream().toList();
		for (String address : properties.gatewayAddresses()) {
			clients.add(gatewayClient(properties, address, sslContext, resolved));
		}
		if (properties.getTextfile().getDirectory() != null) {
			clients.add(new TextfileClient(properties.getTextfile().getDirectory()));
		}
		return new BatchPushTargets(clients);
	}

	private static PushClient gatewayClient(BatchPushgatewayProperties properties, String address,
			@Nullable SSLContext sslContext, List<PushgatewayClientCustomizer> customizers) {
		PushgatewayHttpClient.Builder builder = PushgatewayHttpClient
			.builder(URI.create(properties.getScheme().name().toLowerCase(Locale.ROOT) + "://" + address))
			.format((properties.getFormat() == Format.TEXT) ? PushgatewayHttpClient.Format.TEXT
					: PushgatewayHttpClient.Format.PROTOBUF)
			.connectTimeout(properties.getConnectTimeout())
			.readTimeout(properties.getReadTimeout())
			.sslContext(sslContext);
		if (properties.getToken() != null) {
			builder.bearerToken(properties.getToken());
		}
		if (properties.getUsername() != null && properties.getPassword() != null) {
			builder.basicAuth(properties.getUsername(), properties.getPassword());
		}
		customizers.forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

	private static @Nullable SSLContext sslContext(BatchPushgatewayProperties properties,
			ObjectProvider<SslBundles> sslBundles) {
		String bundle = properties.getSsl().getBundle();
		if (bundle == null) {
			return null;
		}
		return sslBundles.getObject().getBundle(bundle).createSslContext();
	}

	/**
	 * Reads the steps run in other JVMs in one statement per push where the job repository is
	 * JDBC, on the application's data source, as Spring Boot's own job repository is; a repository
	 * elsewhere is then read through its API.
	 */
	private static @Nullable JdbcStepExecutions stepExecutions(@Nullable JobRepository repository,
			ObjectProvider<DataSource> dataSource, Environment environment) {
		DataSource database = dataSource.getIfUnique();
		if (repository == null || repository instanceof ResourcelessJobRepository || database == null) {
			return null;
		}
		return new JdbcStepExecutions(new JdbcTemplate(database),
				environment.getProperty("spring.batch.jdbc.table-prefix", "BATCH_"));
	}

	/**
	 * The pipeline, which builds its parts (the senders, the scheduler threads) at the first job
	 * event, and the retry policy at the first failed push: an application starts no thread and
	 * loads none of the pushing classes for it before a job runs.
	 */
	@Bean(destroyMethod = "close")
	PushPipeline batchPushPipeline(BatchPushgatewayProperties properties, PushGroupResolver groups,
			ObjectProvider<JobRepository> jobRepository, ObjectProvider<DataSource> dataSource,
			Environment environment, JobMetricsSnapshotFactory snapshots, BatchPushTargets targets,
			ObjectProvider<PushListener> listeners, ObjectProvider<JobRegistry> jobRegistry) {
		PushPipeline.Settings settings = new PushPipeline.Settings(properties.getProgressInterval(),
				properties.getMinPushInterval(), properties.getFlushTimeout(), properties.getRetry().getRedeliveryInterval(),
				properties.getMaxGroupsPerJob(), properties.getHistoryScanLimit(), properties.getRefillCheckInterval());
		JobRepository repository = jobRepository.getIfAvailable();
		GracefulStop gracefulStop = (properties.isStopJobsOnShutdown() && repository != null)
				? new GracefulStop(repository, jobRegistry.getIfUnique()) : null;
		return new PushPipeline(settings, groups, repository, stepExecutions(repository, dataSource, environment),
				snapshots, new JobSchedules(properties), targets::clients,
				() -> retryPolicy(properties.getRetry()), (client) -> {
					// Each target logs its own outages, naming itself.
					List<PushListener> all = new ArrayList<>();
					all.add(new OutageLogger((client instanceof TextfileClient) ? "node exporter's " + client.describe()
							: "the Pushgateway at " + client.describe()));
					listeners.orderedStream()
						.forEach((listener) -> all.add((listener instanceof MicrometerPushListener micrometer)
								? micrometer.forTarget(client.describe()) : listener));
					return new CompositePushListener(all);
				},
				gracefulStop);
	}

	private static RetryPolicy retryPolicy(BatchPushgatewayProperties.Retry retry) {
		return RetryPolicy.builder()
			.maxRetries(retry.getMaxRetries())
			.delay(retry.getDelay())
			.multiplier(retry.getMultiplier())
			.maxDelay(retry.getMaxDelay())
			.predicate(PushRejectedException::isWorthRetrying)
			.build();
	}

	/**
	 * The heartbeat and the shutdown's delivery must run whether or not a job has run yet: keep
	 * lazy initialization from deferring the pipeline.
	 */
	@Bean
	static LazyInitializationExcludeFilter batchPushPipelineEagerly() {
		return LazyInitializationExcludeFilter.forBeanTypes(PushPipeline.class);
	}

	@Bean
	UnknownJobOverridesWarning batchUnknownJobOverridesWarning(BatchPushgatewayProperties properties,
			ObjectProvider<org.springframework.batch.core.job.Job> jobs) {
		return new UnknownJobOverridesWarning(properties.getJobs(), jobs);
	}

	@Bean
	PushTargetStartupLog batchPushTargetStartupLog(BatchPushgatewayProperties properties,
			ObjectProvider<org.springframework.batch.core.job.Job> jobs,
			ObjectProvider<org.springframework.batch.core.step.Step> steps) {
		return new PushTargetStartupLog(properties, jobs, steps);
	}

	/**
	 * Self-monitoring in the application's own registry, when Micrometer is there.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class MicrometerConfiguration {

		@Bean
		@Lazy
		MicrometerPushListener batchMicrometerPushListener(ObjectProvider<MeterRegistry> registry) {
			// Looked up until found, then kept: not a lookup in the bean factory at every push.
			return new MicrometerPushListener(SingletonSupplier.of(registry::getIfUnique));
		}

	}

}
