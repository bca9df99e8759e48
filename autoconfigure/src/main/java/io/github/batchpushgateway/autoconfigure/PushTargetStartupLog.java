package io.github.batchpushgateway.autoconfigure;

import java.util.List;
import java.util.Locale;

import io.github.batchpushgateway.batch.JobNameFilter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.step.Step;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.util.Assert;

/**
 * Says at startup, in one INFO line, where job state is pushed (scheme, host and port, never
 * credentials), in which format, and which jobs push: the job beans found and the include and
 * exclude patterns. A JVM with step beans and no job bean is a worker (of remote partitioning or
 * remote chunking, say): the line says that it pushes nothing there, and why.
 */
final class PushTargetStartupLog implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(PushTargetStartupLog.class);

	private final BatchPushgatewayProperties properties;

	private final ObjectProvider<Job> jobs;

	private final ObjectProvider<Step> steps;

	PushTargetStartupLog(BatchPushgatewayProperties properties, ObjectProvider<Job> jobs,
			ObjectProvider<Step> steps) {
		Assert.notNull(properties, "'properties' must not be null");
		Assert.notNull(jobs, "'jobs' must not be null");
		Assert.notNull(steps, "'steps' must not be null");
		this.properties = properties;
		this.jobs = jobs;
		this.steps = steps;
	}

	@Override
	public void afterSingletonsInstantiated() {
		logger.info(message());
	}

	String message() {
		BatchPushgatewayProperties.Jobs settings = this.properties.getJobs();
		JobNameFilter filter = new JobNameFilter(settings.getInclude(), settings.getExclude());
		List<String> all = this.jobs.orderedStream().map(Job::getName).sorted().toList();
		List<String> pushing = all.stream().filter(filter::matches).toList();
		String which = !pushing.isEmpty() ? "jobs " + pushing
				: all.isEmpty() ? noJobBean() : "no job: include and exclude leave out every job bean " + all;
		// The address is validated to hold no credentials; the authentication is only named.
		return "Pushing Spring Batch job state to " + targets() + " for " + which + " (include "
				+ settings.getInclude() + ", exclude " + settings.getExclude() + ")";
	}

	private String noJobBean() {
		List<String> steps = this.steps.orderedStream().map(Step::getName).sorted().toList();
		if (steps.isEmpty()) {
			return "no job bean found so far";
		}
		// Steps run here for job executions other JVMs started and track (remote partitioning or
		// chunking workers): those JVMs read these steps' state from the job repository.
		return "no job bean found so far: the steps " + steps + " run here for jobs of other JVMs, which push "
				+ "them as their shared job repository holds them; this JVM pushes no group";
	}

	private String targets() {
		List<String> targets = new java.util.ArrayList<>();
		String scheme = this.properties.getScheme().name().toLowerCase(Locale.ROOT);
		for (String address : this.properties.gatewayAddresses()) {
			targets.add(scheme + "://" + address);
		}
		StringBuilder text = new StringBuilder(String.join(", ", targets));
		if (!targets.isEmpty()) {
			text.append(authentication())
				.append(" in ")
				.append(this.properties.getFormat().name().toLowerCase(Locale.ROOT))
				.append(" format");
		}
		if (this.properties.getTextfile().getDirectory() != null) {
			text.append(targets.isEmpty() ? "" : " and ")
				.append("node exporter's textfile directory ")
				.append(this.properties.getTextfile().getDirectory());
		}
		return text.append(',').toString();
	}

	private String authentication() {
		if (this.properties.getToken() != null) {
			return " with a bearer token";
		}
		return (this.properties.getUsername() != null) ? " with basic authentication" : "";
	}

}
