package io.github.batchpushgateway.example.gdpr.verification;

import java.util.Map;

/**
 * Verification found personal data left after erasures that were reported complete. Fails
 * the job: an erasure that did not happen must not look like one that did. The message holds
 * counts only.
 */
public class ResidualDataException extends RuntimeException {

	public ResidualDataException(int requests, Map<String, Long> residualRows) {
		super("Residual personal data after " + requests
				+ " erasure(s) completed in this run, requests set to FAILED (RESIDUAL_DATA); rows per table: "
				+ residualRows);
	}

}
