package io.github.batchpushgateway.example.scaleout;

import org.springframework.batch.integration.config.annotation.EnableBatchIntegration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One job spread over several JVMs: the same jar runs as the manager (profile
 * {@code manager}: runs the job named by {@code spring.batch.job.name} once and exits with
 * its outcome) or as a worker (profile {@code worker}: a long-running process that takes
 * partitions and chunks from RabbitMQ until it is stopped). All of them share one job
 * repository on PostgreSQL, and the starter runs in every one of them.
 */
@SpringBootApplication
@EnableBatchIntegration
@EnableConfigurationProperties(ScaleOutProperties.class)
public class ScaleOutApplication {

	/**
	 * Runs as manager or worker, as the active profile says. A manager exits with its job's
	 * outcome (0 when it completed); a worker runs until it is stopped.
	 * @param args Spring Boot arguments, such as {@code --spring.profiles.active=worker}
	 */
	public static void main(String[] args) {
		ConfigurableApplicationContext context = SpringApplication.run(ScaleOutApplication.class, args);
		if (context.getEnvironment().matchesProfiles("manager")) {
			// The job ran during startup; a worker, instead, keeps serving until it is stopped.
			System.exit(SpringApplication.exit(context));
		}
	}

}
