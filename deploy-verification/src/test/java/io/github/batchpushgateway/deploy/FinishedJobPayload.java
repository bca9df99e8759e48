package io.github.batchpushgateway.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.github.batchpushgateway.testsupport.PushgatewayServer;

/**
 * The text exposition the starter pushes for a finished job of one step, written out by hand so
 * that the alerting test does not depend on how the starter builds it. Metric names, types and
 * labels follow the README's metric contract.
 *
 * @param job the Spring Batch job name, the group's {@code job} label
 * @param status the final {@code BatchStatus}
 * @param start start of the execution
 * @param end end of the execution
 */
record FinishedJobPayload(String job, String status, Instant start, Instant end) {

	private static final List<String> STATUSES = List.of("COMPLETED", "STARTING", "STARTED", "STOPPING", "STOPPED",
			"FAILED", "ABANDONED", "UNKNOWN");

	private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	String text() {
		StringBuilder text = new StringBuilder();
		text.append("# TYPE batch_job_status gauge\n");
		for (String candidate : STATUSES) {
			text.append("batch_job_status{status=\"%s\"} %d\n".formatted(candidate, candidate.equals(this.status) ? 1 : 0));
		}
		gauge(text, "batch_job_running", 0);
		gauge(text, "batch_job_start_timestamp_seconds", seconds(this.start));
		gauge(text, "batch_job_end_timestamp_seconds", seconds(this.end));
		gauge(text, "batch_job_duration_seconds", seconds(this.end) - seconds(this.start));
		gauge(text, (this.status.equals("COMPLETED")) ? "batch_job_last_success_timestamp_seconds"
				: "batch_job_last_failure_timestamp_seconds", seconds(this.end));
		text.append("# TYPE batch_job_exit_info gauge\n");
		text.append("batch_job_exit_info{exit_code=\"%s\"} 1\n".formatted(this.status));
		gauge(text, "batch_job_progress_interval_seconds", 10);
		gauge(text, "batch_job_expected_interval_seconds", 86400);
		text.append("# TYPE batch_step_status gauge\n");
		for (String candidate : STATUSES) {
			text.append("batch_step_status{step=\"process\",status=\"%s\"} %d\n".formatted(candidate,
					candidate.equals(this.status) ? 1 : 0));
		}
		text.append("# TYPE batch_step_read_items_total counter\n");
		text.append("batch_step_read_items_total{step=\"process\"} 42\n");
		return text.toString();
	}

	/**
	 * Replaces the job's group in the gateway with this state, as the starter does.
	 * @param gateway the gateway
	 */
	void putTo(PushgatewayServer gateway) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.url() + "/metrics/job/" + this.job))
			.timeout(Duration.ofSeconds(10))
			.PUT(HttpRequest.BodyPublishers.ofString(text()))
			.build();
		try {
			HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() / 100 != 2) {
				throw new IllegalStateException("The gateway answered " + response.statusCode() + ": " + response.body());
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not push to " + gateway, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void gauge(StringBuilder text, String name, double value) {
		text.append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ').append(value).append('\n');
	}

	private static double seconds(Instant instant) {
		return instant.toEpochMilli() / 1000.0;
	}

}
