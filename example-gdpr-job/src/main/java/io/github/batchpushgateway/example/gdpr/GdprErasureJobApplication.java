package io.github.batchpushgateway.example.gdpr;

import java.time.Clock;

import io.github.batchpushgateway.example.gdpr.demo.DemoProperties;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * A GDPR Article 17 ("right to erasure") batch job, run once per process: {@code java -jar}
 * erases the data of every verified request, notifies recipients, verifies, sweeps expired
 * retention, and exits with a non-zero code when the job fails. The starter pushes its state
 * to a Prometheus Pushgateway at every lifecycle event; {@code GdprMetricsContributor} adds
 * the data-protection metrics to the same group.
 *
 * @see <a href="https://eur-lex.europa.eu/eli/reg/2016/679/oj">Regulation (EU) 2016/679</a>
 */
@SpringBootApplication
@EnableConfigurationProperties({ GdprProperties.class, DemoProperties.class })
public class GdprErasureJobApplication {

	/**
	 * Runs the job once and exits with its outcome (0 when it completed).
	 * @param args Spring Boot arguments, such as {@code --demo.customers=10000}
	 */
	public static void main(String[] args) {
		System.exit(SpringApplication.exit(SpringApplication.run(GdprErasureJobApplication.class, args)));
	}

	/**
	 * The clock deadlines are computed with: the controller's time zone decides which day a
	 * request arrived on and when a deadline ends.
	 * @param properties the job's settings
	 * @return a system clock in the configured zone
	 */
	@Bean
	Clock clock(GdprProperties properties) {
		return Clock.system(properties.getZone());
	}

}
