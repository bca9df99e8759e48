package io.github.batchpushgateway.example.gdpr.job;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.batch.autoconfigure.JobLauncherApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.util.Assert;

/**
 * Before the job runs: an execution the job repository still shows as running belongs to a
 * process that was killed (out of memory, node lost, {@code kill -9}), provided this process
 * holds the {@link JobRunLock}: a live owner would hold it. Such an execution is marked
 * FAILED, so the failure is on record and alerted on, and the new run carries on with the
 * work it left (every step selects its work from the database). Without the lock nothing is
 * recovered: the execution may be another instance's, alive.
 */
public class InterruptedRunRecovery implements ApplicationRunner, Ordered {

	private static final Log logger = LogFactory.getLog(InterruptedRunRecovery.class);

	private final JobRepository jobRepository;

	private final JobOperator jobOperator;

	private final JobRunLock lock;

	private final String jobName;

	public InterruptedRunRecovery(JobRepository jobRepository, JobOperator jobOperator, JobRunLock lock,
			String jobName) {
		Assert.notNull(jobRepository, "'jobRepository' must not be null");
		Assert.notNull(jobOperator, "'jobOperator' must not be null");
		Assert.notNull(lock, "'lock' must not be null");
		Assert.hasText(jobName, "'jobName' must not be empty");
		this.jobRepository = jobRepository;
		this.jobOperator = jobOperator;
		this.lock = lock;
		this.jobName = jobName;
	}

	@Override
	public int getOrder() {
		return JobLauncherApplicationRunner.DEFAULT_ORDER - 2; // after the lock, before the demo data and the job
	}

	@Override
	public void run(ApplicationArguments args) {
		boolean lockedHere = !this.lock.isHeld();
		if (!this.lock.tryAcquire()) {
			logger.warn("Another process holds the run lock of " + this.jobName
					+ ": its executions are alive, none is recovered");
			return;
		}
		try {
			for (JobExecution interrupted : this.jobRepository.findRunningJobExecutions(this.jobName)) {
				logger.warn("Execution " + interrupted.getId() + " of " + this.jobName + " is still marked "
						+ interrupted.getStatus() + " but no process holds the run lock: marking it FAILED");
				this.jobOperator.recover(interrupted);
			}
		}
		finally {
			if (lockedHere) {
				this.lock.release();
			}
		}
	}

}
