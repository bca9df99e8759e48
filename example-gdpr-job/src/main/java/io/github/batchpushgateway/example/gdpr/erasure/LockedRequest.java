package io.github.batchpushgateway.example.gdpr.erasure;

import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.RowMapper;

/**
 * An erasure request as the erase step reads it, its row locked ({@code FOR UPDATE}) for the
 * transaction that decides it.
 *
 * @param id the request
 * @param subjectId the account it names
 * @param status its status when read
 * @param reasonCode the reason of an earlier decision
 * @param errorCode the error of an earlier attempt
 * @param ground the ground of Art. 17(1) it invokes
 * @param requesterEmail the address the requester's identity was verified for
 * @param identityVerified whether a verification of the requester's identity is recorded
 */
record LockedRequest(long id, UUID subjectId, String status, @Nullable String reasonCode,
		@Nullable String errorCode, String ground, @Nullable String requesterEmail, boolean identityVerified) {

	/**
	 * Columns of the {@code erasure_request} row that {@link #MAPPER} reads.
	 */
	static final String COLUMNS = "id, subject_id, status, reason_code, error_code, ground, requester_email, "
			+ "identity_verified_at";

	static final RowMapper<LockedRequest> MAPPER = (rs, rowNum) -> new LockedRequest(rs.getLong("id"),
			rs.getObject("subject_id", UUID.class), rs.getString("status"), rs.getString("reason_code"),
			rs.getString("error_code"), rs.getString("ground"), rs.getString("requester_email"),
			rs.getObject("identity_verified_at", LocalDateTime.class) != null);

	private static final List<String> PROCESSABLE = List.of(RequestStatus.VERIFIED.name(),
			RequestStatus.ON_HOLD.name(), RequestStatus.REJECTED.name(), RequestStatus.FAILED.name());

	private static final List<String> CONTRACT_REASONS = List.of("OPEN_CONTRACT", "UNKNOWN_ORDER_STATUS");

	/**
	 * Whether the job may act on the request: waiting for erasure, and not refused for good.
	 */
	boolean isProcessable() {
		return PROCESSABLE.contains(this.status) && !isFinalRefusal();
	}

	/**
	 * A refusal the job did not make because of a contract: a person's decision, final.
	 */
	private boolean isFinalRefusal() {
		return this.status.equals(RequestStatus.REJECTED.name()) && !CONTRACT_REASONS.contains(this.reasonCode);
	}

	boolean isDecided(RequestStatus status, String reasonCode) {
		return this.status.equals(status.name()) && reasonCode.equals(this.reasonCode);
	}

	@Override
	public String toString() {
		return "Request[" + this.id + "]"; // never the subject's id or address
	}

}
