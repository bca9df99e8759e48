package io.github.batchpushgateway.example.gdpr.erasure;

import java.util.List;

/**
 * Verification of a chunk's completed erasures, made by the erase step in the chunk's
 * transaction, after the chunk is erased and before it commits: the subjects' index pages are
 * still in the database's page cache then. Verified in a later step, each subject's pages had
 * to be read from the file again (the erase step's other chunks had long since replaced them),
 * which made verification's cost per request grow with the shop.
 *
 * <p>A verification made here commits or rolls back with the erasure it verifies, so a request
 * is never verified without its erasure, and a chunk written again (retried, or one request at
 * a time to isolate a failing subject) is verified again. Requests it finds with personal data
 * left are left unverified: {@code verifyErasure} looks at every completed request not
 * verified yet, fails those and the job, and verifies what a crash left between two steps.
 */
@FunctionalInterface
public interface ChunkVerification {

	/**
	 * Verifies the completed, not yet verified requests among a chunk's requests; other
	 * requests (held, refused, failed, already verified) are left as they are.
	 * @param requestIds the chunk's requests
	 */
	void verifyCompleted(List<Long> requestIds);

}
