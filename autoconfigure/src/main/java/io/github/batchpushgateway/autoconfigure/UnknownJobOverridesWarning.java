package io.github.batchpushgateway.autoconfigure;

import java.util.Set;
import java.util.TreeSet;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.batch.core.job.Job;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Warns at startup about {@code batch.pushgateway.jobs.overrides} entries that name no job bean:
 * most likely a typo, which would leave a job without its expected interval.
 */
final class UnknownJobOverridesWarning implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(UnknownJobOverridesWarning.class);

	private final BatchPushgatewayProperties.Jobs settings;

	private final ObjectProvider<Job> jobs;

	UnknownJobOverridesWarning(BatchPushgatewayProperties.Jobs settings, ObjectProvider<Job> jobs) {
		this.settings = settings;
		this.jobs = jobs;
	}

	@Override
	public void afterSingletonsInstantiated() {
		Set<String> unknown = unknownNames();
		if (!unknown.isEmpty()) {
			logger.warn("batch.pushgateway.jobs.overrides names jobs that do not exist: " + unknown
					+ "; check the spelling of the job names. A name is matched ignoring case (environment variables "
					+ "lower-case it) when no name matches exactly, and then only if a single one does; one with dots "
					+ "or dashes needs brackets, as in batch.pushgateway.jobs.overrides[my.job].max-duration");
		}
	}

	/** The configured names that give no job its overrides, as {@link BatchPushgatewayProperties.Jobs#overridesOf} finds them. */
	Set<String> unknownNames() {
		Set<String> unknown = new TreeSet<>(this.settings.getOverrides().keySet());
		this.jobs.stream().map(Job::getName).forEach((jobName) -> {
			BatchPushgatewayProperties.JobSettings found = this.settings.overridesOf(jobName);
			unknown.removeIf((name) -> this.settings.getOverrides().get(name) == found);
		});
		return unknown;
	}

}
