package io.github.batchpushgateway.example.gdpr.job;

import java.time.Period;
import java.util.List;

import io.github.batchpushgateway.example.gdpr.GdprProperties;
import io.github.batchpushgateway.example.gdpr.erasure.SuppressionKeys;
import io.github.batchpushgateway.example.gdpr.erasure.SuppressionList;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.util.Assert;

/**
 * Refuses to erase anything without a usable suppression key (present, random, from the
 * environment, never the database), with suppression entries made under a key that is not
 * configured (the key changed: the list would silently stop matching), or without an invoice
 * retention rule. Runs after the deadlines are computed, which need none of these.
 */
public class PreconditionsTasklet implements Tasklet {

	private static final Log logger = LogFactory.getLog(PreconditionsTasklet.class);

	private final SuppressionKeys suppressionKeys;

	private final SuppressionList suppressionList;

	private final GdprProperties properties;

	public PreconditionsTasklet(SuppressionKeys suppressionKeys, SuppressionList suppressionList,
			GdprProperties properties) {
		Assert.notNull(suppressionKeys, "'suppressionKeys' must not be null");
		Assert.notNull(suppressionList, "'suppressionList' must not be null");
		Assert.notNull(properties, "'properties' must not be null");
		this.suppressionKeys = suppressionKeys;
		this.suppressionList = suppressionList;
		this.properties = properties;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		String keyProblem = this.suppressionKeys.problem();
		if (keyProblem != null) {
			throw refuse(keyProblem);
		}
		List<String> withoutKey = this.suppressionList.fingerprintsWithoutKey();
		if (!withoutKey.isEmpty()) {
			throw refuse("suppression entries were made under keys with fingerprints " + withoutKey
					+ ", which are not configured: the key changed, so those entries no longer match anybody. Restore "
					+ SuppressionKeys.KEY_VARIABLE + ", or, to rotate, name the old key in "
					+ SuppressionKeys.PREVIOUS_KEYS_VARIABLE + " (current key fingerprint "
					+ this.suppressionKeys.currentFingerprint() + ")");
		}
		int claimed = this.suppressionList.claimEntriesWithoutFingerprint();
		if (claimed > 0) {
			logger.warn(claimed + " suppression entries made before key fingerprints were kept are now recorded "
					+ "under the current key (fingerprint " + this.suppressionKeys.currentFingerprint()
					+ "): if the key was changed since they were made, they do not match");
		}
		Period invoiceRetention = this.properties.getRetention().getInvoicePeriod();
		if (invoiceRetention == null || invoiceRetention.isNegative() || invoiceRetention.isZero()) {
			throw refuse("gdpr.retention.invoice-period is not set to a positive period (for example P8Y): "
					+ "without it the job cannot tell how long restricted invoices must be kept");
		}
		contribution.incrementWriteCount(claimed);
		logger.info("Preconditions met: suppression key present (fingerprint "
				+ this.suppressionKeys.currentFingerprint() + "), invoice retention " + invoiceRetention);
		return RepeatStatus.FINISHED;
	}

	private PreconditionsNotMetException refuse(String reason) {
		logger.error("Refusing to erase anything: " + reason);
		return new PreconditionsNotMetException(reason);
	}

}
