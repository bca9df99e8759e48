package io.github.batchpushgateway.example.gdpr.job;

import org.springframework.boot.ExitCodeGenerator;

/**
 * Another process runs the job on the same database: this one stops before it touches
 * anything, and exits with {@value #EXIT_CODE} (EX_TEMPFAIL: try again later).
 */
public final class ConcurrentRunException extends RuntimeException implements ExitCodeGenerator {

	/**
	 * Exit code of a process that found another run in progress.
	 */
	public static final int EXIT_CODE = 75;

	public ConcurrentRunException(String jobName) {
		super("Another process holds the run lock of " + jobName
				+ " on this database: not running it twice at once, and not touching that run's executions");
	}

	@Override
	public int getExitCode() {
		return EXIT_CODE;
	}

}
