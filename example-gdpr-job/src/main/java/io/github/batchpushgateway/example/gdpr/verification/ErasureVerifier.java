package io.github.batchpushgateway.example.gdpr.verification;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.batchpushgateway.example.gdpr.erasure.ChunkVerification;
import io.github.batchpushgateway.example.gdpr.erasure.NotificationQueue;
import io.github.batchpushgateway.example.gdpr.erasure.NotificationQueue.MessageKind;
import io.github.batchpushgateway.example.gdpr.erasure.SubjectIdentifiers;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * Verifies completed erasures (GDPR Art. 5(2): the controller must be able to demonstrate
 * compliance): counts each subject's residual data with {@link ResidualData} and, for a
 * request with none left, sets {@code verified_at} and queues the requester's
 * {@link MessageKind#ERASURE_CONFIRMATION confirmation} in the caller's transaction, so the
 * requester is told "erased" only for an erasure that was verified. A request with data left
 * is returned untouched: the erase step leaves it to {@link ErasureVerificationTasklet}, which
 * fails it and the job.
 *
 * <p>Used by the erase step for each chunk it erases ({@link ChunkVerification}), while the
 * chunk's pages are in the cache, and by {@code verifyErasure} for whatever that left.
 */
public class ErasureVerifier implements ChunkVerification {

	private static final String UNVERIFIED = """
			SELECT id, subject_id, requester_email FROM erasure_request
			WHERE status = 'COMPLETED' AND verified_at IS NULL""";

	private static final RowMapper<CompletedErasure> COMPLETED_ERASURE = (rs,
			rowNum) -> new CompletedErasure(rs.getLong("id"), rs.getObject("subject_id", UUID.class),
					rs.getString("requester_email"));

	private final JdbcClient jdbc;

	private final ResidualData residualData;

	private final Clock clock;

	private final NotificationQueue notifications;

	private final String requesterEndpoint;

	public ErasureVerifier(JdbcClient jdbc, ResidualData residualData, Clock clock, NotificationQueue notifications,
			String requesterEndpoint) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		Assert.notNull(residualData, "'residualData' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		Assert.notNull(notifications, "'notifications' must not be null");
		Assert.hasText(requesterEndpoint, "'requesterEndpoint' must not be empty");
		this.jdbc = jdbc;
		this.residualData = residualData;
		this.clock = clock;
		this.notifications = notifications;
		this.requesterEndpoint = requesterEndpoint;
	}

	@Override
	public void verifyCompleted(List<Long> requestIds) {
		if (!requestIds.isEmpty()) {
			verify(unverified(requestIds));
		}
	}

	/**
	 * Returns every completed request not verified yet, through the index on
	 * {@code (status, verified_at)}.
	 * @return the requests, in no particular order
	 */
	public List<CompletedErasure> unverified() {
		return this.jdbc.sql(UNVERIFIED).query(COMPLETED_ERASURE).list();
	}

	/**
	 * Returns the completed requests not verified yet among some requests, each found by its id.
	 * @param requestIds the requests
	 * @return those of them completed and not verified
	 */
	List<CompletedErasure> unverified(Collection<Long> requestIds) {
		return this.jdbc.sql(UNVERIFIED + " AND id = ANY(?)")
			.param(requestIds.toArray(Long[]::new))
			.query(COMPLETED_ERASURE)
			.list();
	}

	/**
	 * Verifies a group of completed requests: one statement per table and link for the whole
	 * group's residual data, then each request without any marked verified, and the group's
	 * confirmations queued with one insert.
	 * @param requests the requests
	 * @return the requests with personal data left, with their residual rows per table (tables
	 * without any left out), in the order given; nothing is changed for them
	 */
	public Map<CompletedErasure, Map<String, Long>> verify(List<CompletedErasure> requests) {
		Map<SubjectIdentifiers, Map<String, Long>> residualOfSubjects = this.residualData
			.ofSubjects(requests.stream().map(CompletedErasure::subject).toList());
		Map<CompletedErasure, Map<String, Long>> withDataLeft = new LinkedHashMap<>();
		List<NotificationQueue.Message> confirmations = new ArrayList<>();
		LocalDateTime now = LocalDateTime.now(this.clock);
		for (CompletedErasure request : requests) {
			Map<String, Long> residual = new LinkedHashMap<>(residualOfSubjects.get(request.subject()));
			residual.values().removeIf((rows) -> rows == 0);
			if (!residual.isEmpty()) {
				withDataLeft.put(request, residual);
				continue;
			}
			int verified = this.jdbc
				.sql("""
						UPDATE erasure_request SET verified_at = ?
						WHERE id = ? AND status = 'COMPLETED' AND verified_at IS NULL""")
				.params(now, request.id())
				.update();
			if (verified == 1 && request.requesterEmail() != null) {
				confirmations.add(new NotificationQueue.Message(request.id(), NotificationQueue.REQUESTER,
						MessageKind.ERASURE_CONFIRMATION, this.requesterEndpoint, request.requesterEmail(), 0));
			}
		}
		// in the transaction of the verifications they confirm
		this.notifications.queueAll(confirmations);
		return withDataLeft;
	}

	/**
	 * A completed erasure request, as verification needs it.
	 *
	 * @param id the request
	 * @param subjectId the account id it named
	 * @param requesterEmail the address the requester's identity was verified for, if any
	 */
	public record CompletedErasure(long id, UUID subjectId, @Nullable String requesterEmail) {

		SubjectIdentifiers subject() {
			return SubjectIdentifiers.of(this.subjectId, this.requesterEmail);
		}

		@Override
		public String toString() {
			return "CompletedErasure[" + this.id + "]"; // never the address
		}

	}

}
