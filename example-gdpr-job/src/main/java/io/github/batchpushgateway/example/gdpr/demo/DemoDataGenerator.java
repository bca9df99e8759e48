package io.github.batchpushgateway.example.gdpr.demo;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Period;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import io.github.batchpushgateway.example.gdpr.GdprProperties;
import io.github.batchpushgateway.example.gdpr.erasure.SubjectEraser;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.batch.autoconfigure.JobLauncherApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

/**
 * Fills an empty database with realistic demo data before the job runs: customers with
 * addresses, consents, orders, invoices and disclosures to recipients, and erasure requests
 * that take every path of the job. The same seed and size always give the same data (dates
 * are relative to today, so there are always requests near their deadline and overdue).
 *
 * <p>Requests cycle through twenty kinds, so even a small database has each of them: ready
 * to erase with deadlines weeks away, two and six days away, validly extended, already
 * overdue; awaiting identity (recent and overdue); under an active legal hold; with an open
 * order; with a released legal hold; with invoices past their retention period. Erasures
 * from earlier years left restricted invoices, some still under retention and some past it.
 * One recipient's endpoint fails transiently (see {@code gdpr.simulation.*}).
 *
 * <p>Names are invented, e-mail addresses use the reserved example domains, and phone numbers
 * the range Ofcom reserves for drama.
 */
public class DemoDataGenerator implements ApplicationRunner, Ordered {

	private static final Log logger = LogFactory.getLog(DemoDataGenerator.class);

	private static final int KINDS = 20;

	private static final String[] FIRST_NAMES = { "Anna", "Ben", "Clara", "David", "Elif", "Farid", "Greta", "Hugo",
			"Ines", "Jonas", "Katarzyna", "Lukas", "Maja", "Noah", "Olga", "Paul", "Quentin", "Rosa", "Sven", "Tereza",
			"Umut", "Vera", "Wim", "Xenia", "Yusuf", "Zoe" };

	private static final String[] LAST_NAMES = { "Schmidt", "Novak", "Rossi", "Dubois", "Jansen", "Kowalski", "Garcia",
			"Nielsen", "Popescu", "Horvath", "Murphy", "Silva", "Virtanen", "Papadopoulos", "Weber", "Lindqvist",
			"Moreau", "Costa", "Keller", "Yilmaz" };

	private static final String[] CITIES = { "Berlin", "Hamburg", "Leipzig", "Vienna", "Graz", "Lyon", "Utrecht",
			"Aarhus", "Porto", "Brno" };

	private static final String[] COUNTRIES = { "DE", "DE", "DE", "AT", "AT", "FR", "NL", "DK", "PT", "CZ" };

	private static final String[] DOMAINS = { "example.com", "example.org", "example.net" };

	private static final String[] GROUNDS = { "CONSENT_WITHDRAWN", "NO_LONGER_NECESSARY", "OBJECTION",
			"CONSENT_WITHDRAWN", "UNLAWFUL_PROCESSING" };

	private static final String[][] RECIPIENTS = {
			{ "payment-provider", "Payment service provider", "https://psp.example.com/gdpr/erasures" },
			{ "parcel-carrier", "Parcel carrier", "https://carrier.example.net/api/data-subjects/erase" },
			{ "newsletter-platform", "Newsletter platform", "https://mailings.example.org/v2/erasure" },
			{ "ad-network", "Advertising partner", "https://ads.example.com/privacy/erasure-requests" },
			{ "credit-agency", "Credit reference agency", "https://credit.example.org/gdpr/art19" } };

	private final JdbcTemplate jdbc;

	private final DemoProperties demo;

	private final GdprProperties gdpr;

	private final Clock clock;

	private final TransactionTemplate transaction;

	public DemoDataGenerator(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, DemoProperties demo,
			GdprProperties gdpr, Clock clock) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		Assert.notNull(transactionManager, "'transactionManager' must not be null");
		Assert.notNull(demo, "'demo' must not be null");
		Assert.notNull(gdpr, "'gdpr' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.jdbc = jdbc;
		this.demo = demo;
		this.gdpr = gdpr;
		this.clock = clock;
		this.transaction = new TransactionTemplate(transactionManager);
	}

	@Override
	public int getOrder() {
		return JobLauncherApplicationRunner.DEFAULT_ORDER - 1; // data first, then the job
	}

	@Override
	public void run(ApplicationArguments args) {
		if (this.demo.getCustomers() <= 0) {
			return;
		}
		Long rows = this.jdbc.queryForObject(
				"SELECT (SELECT COUNT(*) FROM customer) + (SELECT COUNT(*) FROM erasure_request)", Long.class);
		if (rows != null && rows > 0) {
			logger.info("Database already holds data: no demo data generated");
			return;
		}
		long started = System.nanoTime();
		Summary summary = generate(this.demo.getCustomers(), this.demo.getSeed());
		logger.info(String.format(Locale.ROOT, "Generated demo data (seed %d) in %.1f s: %s", this.demo.getSeed(),
				(System.nanoTime() - started) / 1e9, summary));
	}

	/**
	 * Generates the demo data into an empty database.
	 * @param customers how many customers
	 * @param seed seed of the random generator
	 * @return what was generated
	 */
	public Summary generate(int customers, long seed) {
		Generation generation = new Generation(new Random(seed), LocalDateTime.now(this.clock));
		generation.recipients();
		Map<Integer, Integer> requestKinds = generation.pickRequesters(customers);
		for (int index = 0; index < customers; index++) {
			generation.customer(index, requestKinds.get(index));
		}
		generation.earlierErasures(Math.max(4, requestKinds.size() / 5));
		generation.rows.flush();
		for (String table : List.of("address", "marketing_consent", "invoice", "orders", "data_recipient",
				"subject_disclosure", "legal_hold", "erasure_request")) {
			Long next = this.jdbc.queryForObject("SELECT COALESCE(MAX(id), 0) + 1 FROM " + table, Long.class);
			this.jdbc.execute("ALTER TABLE " + table + " ALTER COLUMN id RESTART WITH " + next);
		}
		return new Summary(customers, generation.requestsByKind, generation.earlierErasures);
	}

	/**
	 * What was generated (counts only).
	 *
	 * @param customers customers generated
	 * @param requestsByKind open erasure requests per kind
	 * @param earlierErasures completed erasures of earlier years
	 */
	public record Summary(int customers, Map<String, Integer> requestsByKind, int earlierErasures) {

		@Override
		public String toString() {
			int requests = this.requestsByKind.values().stream().mapToInt(Integer::intValue).sum();
			return this.customers + " customers, " + requests + " open erasure requests " + this.requestsByKind
					+ ", " + this.earlierErasures + " erasures of earlier years";
		}

	}

	private final class Generation {

		private final Random random;

		private final LocalDateTime now;

		private final LocalDate today;

		private final Period invoiceRetention;

		private final Rows rows = new Rows();

		private final Map<String, Integer> requestsByKind = new LinkedHashMap<>();

		private int earlierErasures;

		private long addressId;

		private long consentId;

		private long invoiceId;

		private long orderId;

		private long disclosureId;

		private long holdId;

		private long requestId;

		Generation(Random random, LocalDateTime now) {
			this.random = random;
			this.now = now;
			this.today = now.toLocalDate();
			Period retention = DemoDataGenerator.this.gdpr.getRetention().getInvoicePeriod();
			this.invoiceRetention = (retention != null) ? retention : Period.ofYears(10);
		}

		void recipients() {
			for (int i = 0; i < RECIPIENTS.length; i++) {
				this.rows.add("INSERT INTO data_recipient (id, code, name, endpoint) VALUES (?, ?, ?, ?)", i + 1L,
						RECIPIENTS[i][0], RECIPIENTS[i][1], RECIPIENTS[i][2]);
			}
		}

		Map<Integer, Integer> pickRequesters(int customers) {
			int requests = Math.min(customers,
					Math.max(KINDS, (int) Math.round(customers * DemoDataGenerator.this.demo.getRequestShare())));
			List<Integer> indexes = new ArrayList<>(customers);
			for (int i = 0; i < customers; i++) {
				indexes.add(i);
			}
			Collections.shuffle(indexes, this.random);
			Map<Integer, Integer> kinds = new HashMap<>();
			for (int k = 0; k < requests; k++) {
				kinds.put(indexes.get(k), k % KINDS);
			}
			return kinds;
		}

		void customer(int index, Integer requestKind) {
			UUID id = customerId(index);
			String first = pick(FIRST_NAMES);
			String last = pick(LAST_NAMES);
			String email = (first + "." + last + "." + index + "@" + pick(DOMAINS)).toLowerCase(Locale.ROOT);
			String phone = String.format(Locale.ROOT, "+44 20 7946 0%03d", this.random.nextInt(1000));
			boolean oldInvoices = requestKind != null && requestKind == 19;
			LocalDateTime createdAt = this.now.minusDays(oldInvoices ? 4800 : 30 + this.random.nextInt(4000));
			this.rows.add("INSERT INTO customer (id, email, name, phone, created_at) VALUES (?, ?, ?, ?, ?)", id, email,
					first + " " + last, phone, createdAt);
			int cityIndex = this.random.nextInt(CITIES.length);
			String street = (10 + this.random.nextInt(180)) + " " + pick(LAST_NAMES) + "strasse";
			String postalCode = String.valueOf(10000 + this.random.nextInt(89999));
			int addresses = (this.random.nextInt(3) == 0) ? 2 : 1;
			for (int a = 0; a < addresses; a++) {
				this.rows.add("INSERT INTO address (id, customer_id, street, postal_code, city, country) "
						+ "VALUES (?, ?, ?, ?, ?, ?)", ++this.addressId, id, street, postalCode, CITIES[cityIndex],
						COUNTRIES[cityIndex]);
			}
			boolean emailConsent = false;
			for (String channel : List.of("EMAIL", "SMS", "POST")) {
				if (this.random.nextInt(3) == 0) {
					emailConsent |= channel.equals("EMAIL");
					this.rows.add("INSERT INTO marketing_consent (id, customer_id, channel, granted_at) "
							+ "VALUES (?, ?, ?, ?)", ++this.consentId, id, channel, createdAt.plusDays(1));
				}
			}
			int orders = oldInvoices ? 2 : this.random.nextInt(5);
			for (int o = 0; o < orders; o++) {
				LocalDateTime placedAt = oldInvoices ? createdAt.plusDays(10L + o)
						: createdAt.plusDays(this.random.nextInt((int) (createdAt.until(this.now,
								java.time.temporal.ChronoUnit.DAYS)) + 1));
				order(id, first + " " + last, street, postalCode, cityIndex, email, phone, placedAt,
						oldInvoices ? "DELIVERED" : orderStatus(placedAt), oldInvoices && o % 2 == 1);
			}
			if (orders > 0) {
				disclose(id, 1, "psp-", "payment data");
				disclose(id, 2, "parcel-", "name, shipping address, phone");
			}
			if (emailConsent) {
				disclose(id, 3, "nl-", "e-mail address");
			}
			if (this.random.nextInt(10) < 3) {
				disclose(id, 4, "ad-", "hashed e-mail address, purchase categories");
			}
			if (this.random.nextInt(20) == 0) {
				disclose(id, 5, "cra-", "name, address, payment history");
			}
			if (requestKind != null) {
				request(id, email, requestKind, createdAt, first + " " + last, street, postalCode, cityIndex, phone);
			}
		}

		private String orderStatus(LocalDateTime placedAt) {
			if (placedAt.isAfter(this.now.minusDays(14)) && this.random.nextInt(10) < 3) {
				return this.random.nextBoolean() ? "OPEN" : "SHIPPED";
			}
			return (this.random.nextInt(20) == 0) ? "CANCELLED" : "DELIVERED";
		}

		private void order(UUID customer, String name, String street, String postalCode, int cityIndex, String email,
				String phone, LocalDateTime placedAt, String status, boolean legacyInvoice) {
			long total = 500 + this.random.nextInt(50_000);
			Long invoice = null;
			if (status.equals("DELIVERED")) {
				invoice = ++this.invoiceId;
				LocalDate issuedOn = placedAt.toLocalDate();
				// a few invoices came from a legacy import without a retention date: the rule applies
				LocalDate retainUntil = (legacyInvoice || this.random.nextInt(50) == 0) ? null
						: SubjectEraser.retainUntil(issuedOn, this.invoiceRetention);
				this.rows.add("INSERT INTO invoice (id, number, issued_on, billing_name, billing_street, "
						+ "billing_postal_code, billing_city, billing_country, total_cents, retain_until) "
						+ "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", invoice,
						String.format(Locale.ROOT, "INV-%d-%07d", issuedOn.getYear(), invoice), issuedOn, name, street,
						postalCode, CITIES[cityIndex], COUNTRIES[cityIndex], total, retainUntil);
			}
			String notes = (this.random.nextInt(8) == 0) ? "Please ring twice, " + name.split(" ")[0] : null;
			this.rows.add("INSERT INTO orders (id, customer_id, placed_at, status, total_cents, shipping_name, "
					+ "shipping_street, shipping_postal_code, shipping_city, shipping_country, contact_email, "
					+ "contact_phone, notes, invoice_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
					++this.orderId, customer, placedAt, status, total, name, street, postalCode, CITIES[cityIndex],
					COUNTRIES[cityIndex], email, phone, notes, invoice);
		}

		private void disclose(UUID customer, long recipient, String prefix, String categories) {
			this.rows.add("INSERT INTO subject_disclosure (id, customer_id, recipient_id, recipient_subject_ref, "
					+ "data_categories, disclosed_on) VALUES (?, ?, ?, ?, ?, ?)", ++this.disclosureId, customer,
					recipient, prefix + Long.toHexString(this.random.nextLong() & Long.MAX_VALUE), categories,
					this.today.minusDays(this.random.nextInt(700)));
		}

		private void request(UUID customer, String email, int kind, LocalDateTime createdAt, String name,
				String street, String postalCode, int cityIndex, String phone) {
			LocalDateTime receivedAt;
			boolean verified = true;
			LocalDate extensionNotifiedOn = null;
			String label;
			switch (kind) {
				case 10 -> {
					label = "due in 2 days";
					receivedAt = atOfficeHours(this.today.plusDays(1 + this.random.nextInt(2)).minusMonths(1));
				}
				case 11 -> {
					label = "due within 7 days";
					receivedAt = atOfficeHours(this.today.plusDays(3 + this.random.nextInt(4)).minusMonths(1));
				}
				case 12 -> {
					label = "extended";
					receivedAt = atOfficeHours(this.today.minusDays(35 + this.random.nextInt(25)));
					extensionNotifiedOn = receivedAt.toLocalDate().plusDays(20);
				}
				case 13 -> {
					label = "overdue";
					receivedAt = atOfficeHours(this.today.minusDays(33 + this.random.nextInt(10)));
				}
				case 14 -> {
					label = "awaiting identity";
					verified = false;
					receivedAt = atOfficeHours(this.today.minusDays(2 + this.random.nextInt(9)));
				}
				case 15 -> {
					label = "awaiting identity, overdue";
					verified = false;
					receivedAt = atOfficeHours(this.today.minusDays(35 + this.random.nextInt(10)));
				}
				case 16 -> {
					label = "legal hold";
					receivedAt = recentlyReceived();
					hold(customer, null);
				}
				case 17 -> {
					label = "open order";
					receivedAt = recentlyReceived();
					// PAID is as open as OPEN: the parcel has not left yet
					order(customer, name, street, postalCode, cityIndex, email, phone, this.now.minusDays(3),
							this.random.nextBoolean() ? "OPEN" : "PAID", false);
				}
				case 18 -> {
					label = "legal hold released";
					receivedAt = recentlyReceived();
					hold(customer, this.today.minusDays(10));
				}
				case 19 -> {
					label = "invoices past retention";
					receivedAt = recentlyReceived();
				}
				default -> {
					label = "ready";
					receivedAt = recentlyReceived();
					if (this.random.nextInt(4) == 0) {
						// bought as a guest before opening the account: no customer link, the address spelt differently
						order(null, name, street, postalCode, cityIndex, email.toUpperCase(Locale.ROOT), phone,
								createdAt.minusDays(20), "DELIVERED", false);
					}
				}
			}
			this.requestsByKind.merge(label, 1, Integer::sum);
			LocalDateTime verifiedAt = verified ? min(receivedAt.plusDays(1 + this.random.nextInt(2)), this.now) : null;
			this.rows.add("INSERT INTO erasure_request (id, subject_id, requester_email, ground, received_at, "
					+ "identity_verified_at, extension_reason, extension_notified_on, status) "
					+ "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", ++this.requestId, customer, email, pick(GROUNDS), receivedAt,
					verifiedAt, (extensionNotifiedOn != null) ? "COMPLEXITY" : null, extensionNotifiedOn,
					verified ? "VERIFIED" : "RECEIVED");
		}

		private void hold(UUID customer, LocalDate releasedOn) {
			this.rows.add("INSERT INTO legal_hold (id, customer_id, basis, scope, placed_on, review_on, released_on) "
					+ "VALUES (?, ?, ?, ?, ?, ?, ?)", ++this.holdId, customer, "Pending payment dispute, case file "
					+ (1000 + this.holdId), "ALL", this.today.minusDays(200), this.today.plusDays(165), releasedOn);
		}

		/**
		 * Completed erasures of earlier years: the customers are gone, their invoices are
		 * restricted, some still under retention and some past it.
		 * @param count how many
		 */
		void earlierErasures(int count) {
			for (int i = 0; i < count; i++) {
				long request = ++this.requestId;
				LocalDateTime completedAt = this.now.minusDays(60 + this.random.nextInt(3000));
				LocalDateTime receivedAt = completedAt.minusDays(5);
				this.rows.add("INSERT INTO erasure_request (id, subject_id, ground, received_at, identity_verified_at, "
						+ "deadline, due_on, status, attempts, decided_at, completed_at, verified_at) "
						+ "VALUES (?, ?, ?, ?, ?, ?, ?, 'COMPLETED', 1, ?, ?, ?)", request, randomUuid(), pick(GROUNDS),
						receivedAt, receivedAt.plusDays(1), receivedAt.toLocalDate().plusMonths(1),
						receivedAt.toLocalDate().plusMonths(1), completedAt, completedAt, completedAt);
				// half of them issued long enough ago for the retention period to be over
				LocalDate issuedOn = (i % 2 == 0) ? this.today.minusYears(12).minusDays(this.random.nextInt(300))
						: completedAt.toLocalDate().minusDays(40);
				long invoice = ++this.invoiceId;
				int cityIndex = this.random.nextInt(CITIES.length);
				this.rows.add("INSERT INTO invoice (id, number, issued_on, billing_name, billing_street, "
						+ "billing_postal_code, billing_city, billing_country, total_cents, retain_until, restricted, "
						+ "restricted_at, restricted_by_request) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, TRUE, ?, ?)",
						invoice, String.format(Locale.ROOT, "INV-%d-%07d", issuedOn.getYear(), invoice), issuedOn,
						pick(FIRST_NAMES) + " " + pick(LAST_NAMES), (10 + this.random.nextInt(180)) + " Hauptstrasse",
						String.valueOf(10000 + this.random.nextInt(89999)), CITIES[cityIndex], COUNTRIES[cityIndex],
						500 + this.random.nextInt(50_000), SubjectEraser.retainUntil(issuedOn, this.invoiceRetention),
						completedAt, request);
				this.rows.add("INSERT INTO orders (id, placed_at, status, total_cents, shipping_country, invoice_id, "
						+ "minimized_at) VALUES (?, ?, 'DELIVERED', ?, ?, ?, ?)", ++this.orderId, issuedOn.atTime(10, 0),
						1000 + this.random.nextInt(9000), COUNTRIES[cityIndex], invoice, completedAt);
				this.earlierErasures++;
			}
		}

		private LocalDateTime recentlyReceived() {
			return atOfficeHours(this.today.minusDays(1 + this.random.nextInt(20)));
		}

		private LocalDateTime atOfficeHours(LocalDate day) {
			return min(day.atTime(8 + this.random.nextInt(9), this.random.nextInt(60)), this.now);
		}

		private LocalDateTime min(LocalDateTime a, LocalDateTime b) {
			return a.isBefore(b) ? a : b;
		}

		/**
		 * A time-ordered (version 7) UUID, as a shop that creates its accounts one after another
		 * gets them: the accounts are inserted in the order of their ids, so each batch adds to
		 * the end of the customer indexes. Random ids spread every batch over all their pages,
		 * which H2's append-only store then writes again: 100,000 customers generated side by
		 * side took 161 s and a file of 996 MiB with random ids, 132 s and 381 MiB with these.
		 * @param index the customer's position in the generation, for the id's time part
		 */
		private UUID customerId(int index) {
			long millis = 1_600_000_000_000L + index; // one account per millisecond, reproducible
			long most = (millis << 16) | 0x7000L | (this.random.nextInt() & 0xFFFL);
			long least = (this.random.nextLong() & ~(0xC000000000000000L)) | 0x8000000000000000L;
			return new UUID(most, least);
		}

		private UUID randomUuid() {
			// random (version 4) UUIDs, reproducible from the seed
			long most = (this.random.nextLong() & ~0xF000L) | 0x4000L;
			long least = (this.random.nextLong() & ~(0xC000000000000000L)) | 0x8000000000000000L;
			return new UUID(most, least);
		}

		private String pick(String[] values) {
			return values[this.random.nextInt(values.length)];
		}

	}

	/**
	 * Collects rows per statement and inserts them in JDBC batches, parents before children,
	 * one transaction per batch (in auto-commit H2 commits every row of a batch on its own).
	 */
	private final class Rows {

		private static final int BATCH_SIZE = 10_000;

		private final Map<String, List<Object[]>> pending = new LinkedHashMap<>();

		private int size;

		void add(String sql, Object... values) {
			this.pending.computeIfAbsent(sql, (key) -> new ArrayList<>()).add(values);
			if (++this.size >= BATCH_SIZE) {
				flush();
			}
		}

		void flush() {
			// parents before children, for the foreign keys
			List<String> order = new ArrayList<>(this.pending.keySet());
			order.sort((a, b) -> Integer.compare(rank(a), rank(b)));
			DemoDataGenerator.this.transaction.executeWithoutResult((status) -> {
				for (String sql : order) {
					DemoDataGenerator.this.jdbc.batchUpdate(sql, this.pending.get(sql));
				}
			});
			this.pending.clear();
			this.size = 0;
		}

		private int rank(String sql) {
			List<String> parentsFirst = List.of("data_recipient", "customer", "invoice", "address", "marketing_consent",
					"orders", "subject_disclosure", "legal_hold", "erasure_request");
			for (int i = 0; i < parentsFirst.size(); i++) {
				if (sql.startsWith("INSERT INTO " + parentsFirst.get(i) + " ")) {
					return i;
				}
			}
			return parentsFirst.size();
		}

	}

}
