package io.github.batchpushgateway.batch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.batchpushgateway.push.PushGroup;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.util.Assert;

/**
 * Finds the Pushgateway group of a job execution: {@code job} is the job's name, then the static
 * grouping key, then the values of the whitelisted job parameters. Nothing that changes from run to
 * run (execution id, instance, host) is part of the group by default, so each job keeps one group.
 *
 * <p>Internal; not an extension point: public only for the starter's other packages, and may
 * change in any release.
 */
public final class PushGroupResolver {

	/** Value of the grouping parameters' labels in a job's overflow group. */
	public static final String OVERFLOW = "_overflow";

	private final Map<String, String> groupingKey;

	private final List<String> groupingParameters;

	/**
	 * Without grouping parameters a job has exactly one group: made once per job name rather than
	 * at every lifecycle event, which keeps a job's start on its thread to a map lookup. Bounded by
	 * the jobs this JVM pushes.
	 */
	private final Map<String, PushGroup> jobGroups = new ConcurrentHashMap<>();

	/**
	 * Creates a resolver.
	 * @param groupingKey static labels added to every group
	 * @param groupingParameters names of job parameters whose values join the group; a missing
	 * parameter gives an empty value
	 */
	public PushGroupResolver(Map<String, String> groupingKey, List<String> groupingParameters) {
		Assert.notNull(groupingKey, "'groupingKey' must not be null");
		Assert.notNull(groupingParameters, "'groupingParameters' must not be null");
		this.groupingKey = new LinkedHashMap<>(groupingKey);
		this.groupingParameters = List.copyOf(groupingParameters);
	}

	/**
	 * Returns the group of an execution.
	 * @param execution the execution
	 * @return its group
	 */
	public PushGroup resolve(JobExecution execution) {
		if (this.groupingParameters.isEmpty()) {
			String jobName = execution.getJobInstance().getJobName();
			PushGroup group = this.jobGroups.get(jobName);
			if (group == null) {
				// No computeIfAbsent: its lambda would be spun on a cold JVM's first job event.
				PushGroup made = new PushGroup(jobName, this.groupingKey);
				group = this.jobGroups.putIfAbsent(jobName, made);
				return (group != null) ? group : made;
			}
			return group;
		}
		Map<String, String> labels = new LinkedHashMap<>(this.groupingKey);
		for (String name : this.groupingParameters) {
			JobParameter<?> parameter = execution.getJobParameters().getParameter(name);
			labels.put(labelName(name), (parameter != null) ? String.valueOf(parameter.value()) : "");
		}
		return new PushGroup(execution.getJobInstance().getJobName(), labels);
	}

	/**
	 * Returns the group that takes the executions of a job whose grouping parameters have had
	 * more values than allowed: every grouping parameter's label holds {@value #OVERFLOW}.
	 * @param execution the execution
	 * @return the job's overflow group
	 */
	public PushGroup overflow(JobExecution execution) {
		Map<String, String> labels = new LinkedHashMap<>(this.groupingKey);
		for (String name : this.groupingParameters) {
			labels.put(labelName(name), OVERFLOW);
		}
		return new PushGroup(execution.getJobInstance().getJobName(), labels);
	}

	/**
	 * Returns whether groups of a job vary from run to run, that is whether grouping parameters
	 * are configured.
	 * @return whether a job can have more than one group
	 */
	public boolean hasGroupingParameters() {
		return !this.groupingParameters.isEmpty();
	}

	/**
	 * Returns the label that carries a job parameter: its name with every character that a label
	 * name cannot hold replaced by {@code _} ({@code run.region} becomes {@code run_region}).
	 * @param parameterName a job parameter's name
	 * @return the label name
	 */
	public static String labelName(String parameterName) {
		StringBuilder label = new StringBuilder(parameterName.length());
		for (int i = 0; i < parameterName.length(); i++) {
			char c = parameterName.charAt(i);
			boolean valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
			label.append(valid ? c : '_');
		}
		return label.toString();
	}

}
