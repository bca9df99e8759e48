package io.github.batchpushgateway.deploy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.jayway.jsonpath.JsonPath;
import io.github.batchpushgateway.testsupport.AlertmanagerServer;

/**
 * Reads the alerts an Alertmanager holds from its v2 API.
 */
final class Alertmanagers {

	private static final Duration POLL = Duration.ofMillis(250);

	private Alertmanagers() {
	}

	/**
	 * Returns the alerts that are firing, whether inhibited or not.
	 * @param alertmanager the server
	 * @return the alerts
	 */
	static List<Alert> alerts(AlertmanagerServer alertmanager) {
		String json = alertmanager.getJson("/api/v2/alerts?active=true&inhibited=true&silenced=true&unprocessed=true");
		List<Map<String, Object>> alerts = JsonPath.read(json, "$[*]");
		return alerts.stream().map(Alert::of).toList();
	}

	/**
	 * Polls the alerts until they satisfy a condition.
	 * @param alertmanager the server
	 * @param description what is awaited, for the failure message
	 * @param until the condition
	 * @param timeout how long to wait
	 * @return the first alerts that satisfy it
	 */
	static List<Alert> await(AlertmanagerServer alertmanager, String description, Predicate<List<Alert>> until,
			Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			List<Alert> alerts = alerts(alertmanager);
			if (until.test(alerts)) {
				return alerts;
			}
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Alertmanager did not show " + description + " within " + timeout
						+ "; it holds " + alerts + "\nAlertmanager log:\n" + alertmanager.logTail());
			}
			try {
				Thread.sleep(POLL.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	/**
	 * An alert as the Alertmanager API shows it.
	 *
	 * @param fingerprint its identity
	 * @param labels its labels, {@code alertname} included
	 * @param state {@code active}, {@code suppressed} or {@code unprocessed}
	 * @param inhibitedBy fingerprints of the alerts that inhibit it
	 * @param receivers names of the receivers it is routed to
	 */
	record Alert(String fingerprint, Map<String, String> labels, String state, List<String> inhibitedBy,
			List<String> receivers) {

		@SuppressWarnings("unchecked")
		static Alert of(Map<String, Object> json) {
			Map<String, Object> status = (Map<String, Object>) json.get("status");
			List<Map<String, Object>> receivers = (List<Map<String, Object>>) json.get("receivers");
			return new Alert((String) json.get("fingerprint"), (Map<String, String>) json.get("labels"),
					(String) status.get("state"), (List<String>) status.get("inhibitedBy"),
					receivers.stream().map((receiver) -> (String) receiver.get("name")).toList());
		}

		String name() {
			return this.labels.get("alertname");
		}

		boolean is(String alertName, String job) {
			return alertName.equals(name()) && (job == null || job.equals(this.labels.get("job")));
		}

		@Override
		public String toString() {
			return name() + this.labels + " " + this.state + " inhibitedBy=" + this.inhibitedBy + " receivers="
					+ this.receivers;
		}

	}

}
