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

	private final Set<String> configured;

	private final ObjectProvider<Job> jobs;

	UnknownJobOverridesWarning(Set<String> configured, ObjectProvider<Job> jobs) {
		this.configured = configured;
		this.jobs = jobs;
	}

	@Override
	public void afterSingletonsInstantiated() {
		Set<String> unknown = unknownNames();
		if (!unknown.isEmpty()) {
			logger.warn("batch.pushgateway.jobs.overrides names jobs that do not exist: " + unknown
					+ "; check the spelling of the job names");
		}
	}

	Set<String> unknownNames() {
		Set<String> unknown = new TreeSet<>(this.configured);
		this.jobs.stream().map(Job::getName).forEach(unknown::remove);
		return unknown;
	}

}
