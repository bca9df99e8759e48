package io.github.batchpushgateway.example.gdpr;

import java.time.Duration;
import java.time.Period;
import java.time.ZoneId;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the erasure job ({@code gdpr.*}).
 */
@ConfigurationProperties("gdpr")
public class GdprProperties {

	/**
	 * Time zone of the controller: decides the day a request was received on and when a
	 * deadline day ends.
	 */
	private ZoneId zone = ZoneId.of("Europe/Berlin");

	private final Suppression suppression = new Suppression();

	private final Retention retention = new Retention();

	private final Erasure erasure = new Erasure();

	private final Notifications notifications = new Notifications();

	private final Simulation simulation = new Simulation();

	public ZoneId getZone() {
		return this.zone;
	}

	public void setZone(ZoneId zone) {
		this.zone = zone;
	}

	public Suppression getSuppression() {
		return this.suppression;
	}

	public Retention getRetention() {
		return this.retention;
	}

	public Erasure getErasure() {
		return this.erasure;
	}

	public Notifications getNotifications() {
		return this.notifications;
	}

	public Simulation getSimulation() {
		return this.simulation;
	}

	/**
	 * The "do not contact" suppression list.
	 */
	public static class Suppression {

		/**
		 * Secret key of the HMAC over normalised e-mail addresses, at least 32 characters.
		 * Comes from the environment (GDPR_SUPPRESSION_HMAC_KEY), never from the database:
		 * an unkeyed or salted hash of an e-mail address is reversed by guessing.
		 */
		private @Nullable String hmacKey;

		public @Nullable String getHmacKey() {
			return this.hmacKey;
		}

		public void setHmacKey(@Nullable String hmacKey) {
			this.hmacKey = hmacKey;
		}

	}

	/**
	 * Retention rules.
	 */
	public static class Retention {

		/**
		 * How long an invoice is kept after the end of the year it was issued in, for
		 * invoices that carry no retain-until date of their own (tax law, for example ten
		 * years under German AO section 147).
		 */
		private @Nullable Period invoicePeriod;

		public @Nullable Period getInvoicePeriod() {
			return this.invoicePeriod;
		}

		public void setInvoicePeriod(@Nullable Period invoicePeriod) {
			this.invoicePeriod = invoicePeriod;
		}

	}

	/**
	 * The erasure step.
	 */
	public static class Erasure {

		/**
		 * Attempts after which a failed request is no longer picked up automatically.
		 */
		private int maxAttempts = 3;

		/**
		 * Retries of one subject's transaction after a transient database error.
		 */
		private int retryLimit = 3;

		/**
		 * Delay before the first retry after a transient database error; doubles per retry.
		 */
		private Duration retryDelay = Duration.ofMillis(50);

		/**
		 * Subjects whose erasure may be skipped (request set to FAILED with an error code)
		 * before the step itself fails.
		 */
		private int skipLimit = 100;

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public int getRetryLimit() {
			return this.retryLimit;
		}

		public void setRetryLimit(int retryLimit) {
			this.retryLimit = retryLimit;
		}

		public Duration getRetryDelay() {
			return this.retryDelay;
		}

		public void setRetryDelay(Duration retryDelay) {
			this.retryDelay = retryDelay;
		}

		public int getSkipLimit() {
			return this.skipLimit;
		}

		public void setSkipLimit(int skipLimit) {
			this.skipLimit = skipLimit;
		}

	}

	/**
	 * Delivery of queued notifications.
	 */
	public static class Notifications {

		/**
		 * Endpoint that replies to requesters go to (the mail relay).
		 */
		private String requesterEndpoint = "smtp://mail-relay.internal";

		/**
		 * Retries of one delivery after a transient failure of the recipient's endpoint.
		 */
		private int maxRetries = 3;

		/**
		 * Delay before the first retry of a delivery; multiplied by the multiplier per retry.
		 */
		private Duration initialBackoff = Duration.ofMillis(20);

		/**
		 * Factor by which the backoff grows per retry.
		 */
		private double backoffMultiplier = 2.0;

		/**
		 * Messages delivered per transaction.
		 */
		private int chunkSize = 50;

		public String getRequesterEndpoint() {
			return this.requesterEndpoint;
		}

		public void setRequesterEndpoint(String requesterEndpoint) {
			this.requesterEndpoint = requesterEndpoint;
		}

		public int getMaxRetries() {
			return this.maxRetries;
		}

		public void setMaxRetries(int maxRetries) {
			this.maxRetries = maxRetries;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public double getBackoffMultiplier() {
			return this.backoffMultiplier;
		}

		public void setBackoffMultiplier(double backoffMultiplier) {
			this.backoffMultiplier = backoffMultiplier;
		}

		public int getChunkSize() {
			return this.chunkSize;
		}

		public void setChunkSize(int chunkSize) {
			this.chunkSize = chunkSize;
		}

	}

	/**
	 * The in-process simulation of recipients' endpoints (no network traffic).
	 */
	public static class Simulation {

		/**
		 * Code of the recipient whose endpoint fails transiently.
		 */
		private @Nullable String flakyRecipient = "ad-network";

		/**
		 * Every how many messages to the flaky recipient one runs into failures.
		 */
		private int flakyEvery = 5;

		/**
		 * Failed delivery attempts such a message sees before it goes through.
		 */
		private int flakyFailures = 2;

		public @Nullable String getFlakyRecipient() {
			return this.flakyRecipient;
		}

		public void setFlakyRecipient(@Nullable String flakyRecipient) {
			this.flakyRecipient = flakyRecipient;
		}

		public int getFlakyEvery() {
			return this.flakyEvery;
		}

		public void setFlakyEvery(int flakyEvery) {
			this.flakyEvery = flakyEvery;
		}

		public int getFlakyFailures() {
			return this.flakyFailures;
		}

		public void setFlakyFailures(int flakyFailures) {
			this.flakyFailures = flakyFailures;
		}

	}

}
