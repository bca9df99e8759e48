package io.github.batchpushgateway.example.gdpr.verification;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.batchpushgateway.example.gdpr.erasure.NotificationQueue;
import io.github.batchpushgateway.example.gdpr.verification.ErasureVerifier.CompletedErasure;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ErasureVerifier} verifies completed erasures without personal data left, each with its
 * requester's confirmation, and leaves the others as they are for the caller to decide.
 */
class ErasureVerifierTests {

	private final JdbcClient jdbc = JdbcClient.create(VerificationDatabase.create());

	private final Clock clock = Clock.fixed(Instant.parse("2026-03-02T10:00:00Z"), ZoneOffset.UTC);

	private final ErasureVerifier verifier = new ErasureVerifier(this.jdbc, new ResidualData(this.jdbc), this.clock,
			new NotificationQueue(this.jdbc, this.clock), "mailto:replies");

	@Test
	void aChunksCompletedRequestsAreVerifiedAndConfirmedAndTheOthersLeftAsTheyAre() {
		// given: of a chunk's four requests, one completed, one completed with the account still
		// there, one held, one completed and verified by an earlier run; and one completed
		// request outside the chunk
		long clean = request(UUID.randomUUID(), "COMPLETED");
		UUID left = UUID.randomUUID();
		this.jdbc.sql("INSERT INTO customer (id, email, name, created_at) VALUES (?, 'left@example.org', 'Left', LOCALTIMESTAMP)")
			.param(left)
			.update();
		long withDataLeft = request(left, "COMPLETED");
		long held = request(UUID.randomUUID(), "ON_HOLD");
		long verifiedBefore = request(UUID.randomUUID(), "COMPLETED");
		this.jdbc.sql("UPDATE erasure_request SET verified_at = TIMESTAMP '2026-03-01 09:00:00' WHERE id = ?")
			.param(verifiedBefore)
			.update();
		long outsideTheChunk = request(UUID.randomUUID(), "COMPLETED");

		// when
		this.verifier.verifyCompleted(List.of(clean, withDataLeft, held, verifiedBefore));

		// then
		assertThat(verifiedAt(clean)).isEqualTo(LocalDateTime.of(2026, 3, 2, 10, 0));
		assertThat(verifiedAt(withDataLeft)).isNull();
		assertThat(verifiedAt(held)).isNull();
		assertThat(verifiedAt(verifiedBefore)).isEqualTo(LocalDateTime.of(2026, 3, 1, 9, 0));
		assertThat(verifiedAt(outsideTheChunk)).isNull();
		assertThat(status(withDataLeft)).isEqualTo("COMPLETED");
		assertThat(VerificationDatabase.confirmed(this.jdbc)).containsExactly(clean);
		// and what is left unverified is what a later look finds
		assertThat(this.verifier.unverified()).extracting(CompletedErasure::id)
			.containsExactlyInAnyOrder(withDataLeft, outsideTheChunk);
	}

	@Test
	void aGroupsRequestsWithDataLeftAreReturnedWithTheirRowsPerTable() {
		// given
		UUID left = UUID.randomUUID();
		this.jdbc.sql("INSERT INTO customer (id, email, name, created_at) VALUES (?, 'left@example.org', 'Left', LOCALTIMESTAMP)")
			.param(left)
			.update();
		long withDataLeft = request(left, "COMPLETED");
		long clean = request(UUID.randomUUID(), "COMPLETED");

		// when
		Map<CompletedErasure, Map<String, Long>> result = this.verifier.verify(this.verifier.unverified());

		// then
		assertThat(result).hasSize(1);
		assertThat(result.keySet()).extracting(CompletedErasure::id).containsExactly(withDataLeft);
		assertThat(result.values()).containsExactly(Map.of("customer", 1L));
		assertThat(verifiedAt(clean)).isNotNull();
		assertThat(VerificationDatabase.confirmed(this.jdbc)).containsExactly(clean);
	}

	@Test
	void aRequestIsConfirmedOnceHoweverOftenItsChunkIsVerified() {
		// given
		long clean = request(UUID.randomUUID(), "COMPLETED");

		// when
		this.verifier.verifyCompleted(List.of(clean));
		this.verifier.verifyCompleted(List.of(clean));

		// then
		assertThat(VerificationDatabase.confirmed(this.jdbc)).containsExactly(clean);
	}

	@Test
	void aCompletedErasureNamesNoAddress() {
		assertThat(new CompletedErasure(7, UUID.randomUUID(), "someone@example.org")).hasToString("CompletedErasure[7]");
	}

	private long request(UUID subject, String status) {
		this.jdbc.sql("""
				INSERT INTO erasure_request (subject_id, requester_email, ground, received_at, status, completed_at)
				VALUES (?, 'someone@example.org', 'CONSENT_WITHDRAWN', CURRENT_TIMESTAMP, ?, CURRENT_TIMESTAMP)""")
			.params(subject, status)
			.update();
		return this.jdbc.sql("SELECT MAX(id) FROM erasure_request").query(Long.class).single();
	}

	private LocalDateTime verifiedAt(long request) {
		return this.jdbc.sql("SELECT verified_at FROM erasure_request WHERE id = ?")
			.param(request)
			.query(LocalDateTime.class)
			.list()
			.get(0);
	}

	private String status(long request) {
		return this.jdbc.sql("SELECT status FROM erasure_request WHERE id = ?").param(request).query(String.class).single();
	}

}
