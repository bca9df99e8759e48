package io.github.batchpushgateway.batch;

import java.time.Duration;
import java.time.LocalDateTime;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;

/**
 * Reads what the job repository recorded for an execution this JVM runs: the fallbacks that end
 * an execution without its job's thread (a skipped afterJob, a shutdown) push what the repository
 * says, not what the object in hand says, where the two differ.
 */
final class RecordedExecutions {

	private static final Log logger = LogFactory.getLog(RecordedExecutions.class);

	private final @Nullable JobRepository repository;

	RecordedExecutions(@Nullable JobRepository repository) {
		this.repository = repository;
	}

	/**
	 * Returns whether there is a job repository to ask.
	 * @return whether {@link #of} can know anything
	 */
	boolean available() {
		return this.repository != null;
	}

	/**
	 * Returns the repository's copy of an execution.
	 * @param execution an execution this JVM runs
	 * @return the repository's copy (for the resourceless repository, the object in hand), or
	 * {@code null} when there is no repository or it holds no such execution
	 * @throws RuntimeException when the repository cannot be read
	 */
	@Nullable JobExecution of(JobExecution execution) {
		if (this.repository == null) {
			return null;
		}
		JobExecution stored = this.repository.getJobExecution(execution.getId());
		return (stored != null && isCopyOf(stored, execution)) ? stored : null;
	}

	/**
	 * Returns the repository's copy of an execution, {@code null} also when it cannot be read.
	 * @param execution an execution this JVM runs
	 * @return the repository's copy, or {@code null}
	 */
	@Nullable JobExecution ofIfReadable(JobExecution execution) {
		try {
			return of(execution);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not read execution " + execution.getId() + " from the job repository", ex);
			return null;
		}
	}

	/**
	 * Whether the repository's execution is the one in hand: the resourceless repository gives
	 * every execution the same id and returns its latest, which may be another job's run.
	 */
	private static boolean isCopyOf(JobExecution stored, JobExecution execution) {
		if (stored == execution) {
			return true;
		}
		LocalDateTime storedStart = stored.getStartTime();
		LocalDateTime start = execution.getStartTime();
		return stored.getJobInstance().getJobName().equals(execution.getJobInstance().getJobName())
				&& stored.getJobInstance().getInstanceId() == execution.getJobInstance().getInstanceId()
				&& (storedStart == null || start == null
						|| Duration.between(storedStart, start).abs().compareTo(Duration.ofSeconds(1)) < 0);
	}

}
