package io.github.batchpushgateway.example.gdpr;

import java.time.Duration;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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

	private final Orders orders = new Orders();

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

	public Orders getOrders() {
		return this.orders;
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
		 * Secret key of the HMAC over normalised e-mail addresses: at least 32 characters
		 * and random (a key of one repeated character or a short repeated pattern is
		 * refused), new entries are made under it. Comes from the environment
		 * (GDPR_SUPPRESSION_HMAC_KEY), never from the database: an unkeyed or salted hash of
		 * an e-mail address is reversed by guessing.
		 */
		private @Nullable String hmacKey;

		/**
		 * Keys the suppression list was built under before the current one, still matched
		 * during a rotation (GDPR_SUPPRESSION_PREVIOUS_HMAC_KEYS, comma-separated). A key may
		 * be dropped only once no entry made under it is kept: the job refuses to run while
		 * entries exist under a key it is not given.
		 */
		private List<String> previousHmacKeys = new ArrayList<>();

		public @Nullable String getHmacKey() {
			return this.hmacKey;
		}

		public void setHmacKey(@Nullable String hmacKey) {
			this.hmacKey = hmacKey;
		}

		public List<String> getPreviousHmacKeys() {
			return this.previousHmacKeys;
		}

		public void setPreviousHmacKeys(List<String> previousHmacKeys) {
			this.previousHmacKeys = previousHmacKeys;
		}

	}

	/**
	 * Retention rules.
	 */
	public static class Retention {

		/**
		 * How long an invoice is kept after the end of the year it was issued in, for
		 * invoices that carry no retain-until date of their own: the tax law of the
		 * controller's jurisdiction (GDPR Art. 17(3)(b)). No default here, so the job refuses
		 * to run until one is chosen; the example's application.yml sets P8Y, Germany's period
		 * since 2025 (AO section 147(3), UStG section 14b(1), as shortened from ten years by the
		 * Fourth Bureaucracy Relief Act).
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
	 * Order statuses, read as an allow-list: an order whose status is in neither list counts
	 * as an open contract (nothing is erased that delivery may still need) and is reported.
	 */
	public static class Orders {

		/**
		 * Statuses of an order whose contract is still being performed: its data is needed
		 * (GDPR Art. 6(1)(b), 17(1)(a) does not apply yet).
		 */
		private Set<String> openStatuses = new LinkedHashSet<>(List.of("OPEN", "PAID", "SHIPPED"));

		/**
		 * Statuses of an order whose contract is over: its data may be minimised.
		 */
		private Set<String> closedStatuses = new LinkedHashSet<>(List.of("DELIVERED", "CANCELLED", "RETURNED"));

		public Set<String> getOpenStatuses() {
			return this.openStatuses;
		}

		public void setOpenStatuses(Set<String> openStatuses) {
			this.openStatuses = openStatuses;
		}

		public Set<String> getClosedStatuses() {
			return this.closedStatuses;
		}

		public void setClosedStatuses(Set<String> closedStatuses) {
			this.closedStatuses = closedStatuses;
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
		 * Subjects erased per transaction. One commit, one job-repository update and a few
		 * statements per table per chunk instead of per subject; a subject whose erasure fails
		 * is still isolated: the chunk is rolled back and its subjects are erased again one per
		 * transaction, the failing one skipped. A crash loses at most one chunk's work, redone
		 * by the restart. Verification and the retention sweep commit as many requests or rows
		 * per transaction.
		 */
		private int chunkSize = 200;

		/**
		 * Retries of a chunk's transaction after a transient database error.
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

		public int getChunkSize() {
			return this.chunkSize;
		}

		public void setChunkSize(int chunkSize) {
			this.chunkSize = chunkSize;
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
		 * Retries of one delivery per run after a transient failure of the recipient's
		 * endpoint, each in a later pass of the step once its backoff has passed, while the
		 * other messages go out.
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

		/**
		 * Delivery attempts, over all runs, after which a message is given up as impossible
		 * or disproportionate effort (GDPR Art. 19) and reported to the data-protection officer.
		 */
		private int giveUpAfterAttempts = 40;

		/**
		 * Time since a message was queued after which it is given up at its next failed
		 * attempt: a month, the period Art. 12(3) allows for answering the request itself.
		 */
		private Duration giveUpAfter = Duration.ofDays(30);

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

		public int getGiveUpAfterAttempts() {
			return this.giveUpAfterAttempts;
		}

		public void setGiveUpAfterAttempts(int giveUpAfterAttempts) {
			this.giveUpAfterAttempts = giveUpAfterAttempts;
		}

		public Duration getGiveUpAfter() {
			return this.giveUpAfter;
		}

		public void setGiveUpAfter(Duration giveUpAfter) {
			this.giveUpAfter = giveUpAfter;
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
