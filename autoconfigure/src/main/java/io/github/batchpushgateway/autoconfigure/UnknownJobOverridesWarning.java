package io.github.batchpushgateway.autoconfigure;

import java.util.List;
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
					+ "lower-case it); one with dots or dashes needs brackets, as in "
					+ "batch.pushgateway.jobs.overrides[my.job].max-duration");
		}
		Set<String> ambiguous = ambiguousNames();
		if (!ambiguous.isEmpty()) {
			logger.warn("batch.pushgateway.jobs.overrides names " + ambiguous + " differ from a job's name in case alone "
					+ "and from each other: none of them applies. Keep one, or give the job's exact name");
		}
	}

	/** The configured names that match no job's name, even ignoring case. */
	Set<String> unknownNames() {
		List<String> jobNames = this.jobs.stream().map(Job::getName).toList();
		Set<String> unknown = new TreeSet<>(this.settings.getOverrides().keySet());
		unknown.removeIf((name) -> jobNames.stream().anyMatch(name::equalsIgnoreCase));
		return unknown;
	}

	/**
	 * The configured names that differ from a job's name in case alone, where that job has no
	 * entry under its exact name and more than one such: {@link BatchPushgatewayProperties.Jobs#overridesOf}
	 * applies none of them.
	 */
	Set<String> ambiguousNames() {
		Set<String> ambiguous = new TreeSet<>();
		Set<String> names = this.settings.getOverrides().keySet();
		this.jobs.stream().map(Job::getName).forEach((jobName) -> {
			if (!names.contains(jobName)) {
				List<String> matching = names.stream().filter(jobName::equalsIgnoreCase).toList();
				if (matching.size() > 1) {
					ambiguous.addAll(matching);
				}
			}
		});
		return ambiguous;
	}

}
