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
 * process that was killed (out of memory, node lost, {@code kill -9}), because only one run
 * is ever alive ({@code concurrencyPolicy: Forbid}). It is marked FAILED, so the failure is
 * on record and alerted on, and the new run carries on with the work it left (every step
 * selects its work from the database).
 */
public class InterruptedRunRecovery implements ApplicationRunner, Ordered {

	private static final Log logger = LogFactory.getLog(InterruptedRunRecovery.class);

	private final JobRepository jobRepository;

	private final JobOperator jobOperator;

	private final String jobName;

	public InterruptedRunRecovery(JobRepository jobRepository, JobOperator jobOperator, String jobName) {
		Assert.notNull(jobRepository, "'jobRepository' must not be null");
		Assert.notNull(jobOperator, "'jobOperator' must not be null");
		Assert.hasText(jobName, "'jobName' must not be empty");
		this.jobRepository = jobRepository;
		this.jobOperator = jobOperator;
		this.jobName = jobName;
	}

	@Override
	public int getOrder() {
		return JobLauncherApplicationRunner.DEFAULT_ORDER - 2; // before the demo data and the job
	}

	@Override
	public void run(ApplicationArguments args) {
		for (JobExecution interrupted : this.jobRepository.findRunningJobExecutions(this.jobName)) {
			logger.warn("Execution " + interrupted.getId() + " of " + this.jobName + " is still marked "
					+ interrupted.getStatus() + " but its process is gone: marking it FAILED");
			this.jobOperator.recover(interrupted);
		}
	}

}
