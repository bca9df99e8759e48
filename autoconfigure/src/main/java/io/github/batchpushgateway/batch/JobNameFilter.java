package io.github.batchpushgateway.batch;

import java.util.List;

import org.springframework.util.Assert;
import org.springframework.util.PatternMatchUtils;

/**
 * Decides which jobs push their state, by name patterns with {@code *} wildcards. A job pushes
 * when it matches an include pattern and no exclude pattern.
 *
 * <p>Internal; not an extension point: public only for the starter's other packages, and may
 * change in any release.
 */
public final class JobNameFilter {

	private final List<String> include;

	private final List<String> exclude;

	/**
	 * Creates a filter.
	 * @param include patterns of jobs to include, such as {@code *} or {@code gdpr*}
	 * @param exclude patterns of jobs to exclude, which win over includes
	 */
	public JobNameFilter(List<String> include, List<String> exclude) {
		Assert.notNull(include, "'include' must not be null");
		Assert.notNull(exclude, "'exclude' must not be null");
		this.include = List.copyOf(include);
		this.exclude = List.copyOf(exclude);
	}

	/**
	 * Returns whether a job pushes its state.
	 * @param jobName the job's name
	 * @return whether it is included and not excluded
	 */
	public boolean matches(String jobName) {
		return PatternMatchUtils.simpleMatch(this.include.toArray(String[]::new), jobName)
				&& !PatternMatchUtils.simpleMatch(this.exclude.toArray(String[]::new), jobName);
	}

}
