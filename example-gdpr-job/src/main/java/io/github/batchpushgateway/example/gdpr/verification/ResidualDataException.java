package io.github.batchpushgateway.example.gdpr.verification;

import java.util.Map;

/**
 * Verification found personal data left after erasures that were reported complete. Fails
 * the job: an erasure that did not happen must not look like one that did. The message holds
 * counts only.
 */
public class ResidualDataException extends RuntimeException {

	/**
	 * Creates the exception.
	 * @param requests requests whose erasure was reported complete and is not
	 * @param completedInThisRun how many of them this job instance completed (the others an
	 * earlier run did, one that stopped before verifying)
	 * @param residualRows residual rows per table
	 */
	public ResidualDataException(int requests, int completedInThisRun, Map<String, Long> residualRows) {
		super("Residual personal data after " + requests + " erasure(s) reported complete (" + completedInThisRun
				+ " of them in this run), requests set to FAILED (RESIDUAL_DATA); rows per table: " + residualRows);
	}

}
