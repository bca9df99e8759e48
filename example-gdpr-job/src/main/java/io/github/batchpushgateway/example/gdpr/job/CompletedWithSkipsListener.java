package io.github.batchpushgateway.example.gdpr.job;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.step.StepExecution;

/**
 * Gives a completed run that skipped subjects the exit code {@value #EXIT_CODE}, so the
 * skips show in {@code batch_job_exit_info} and can be alerted on, while the run still counts
 * as a success (every other subject was erased).
 */
class CompletedWithSkipsListener implements JobExecutionListener {

	static final String EXIT_CODE = "COMPLETED_WITH_SKIPS";

	@Override
	public void afterJob(JobExecution jobExecution) {
		long skipped = jobExecution.getStepExecutions().stream().mapToLong(StepExecution::getSkipCount).sum();
		if (jobExecution.getStatus() == BatchStatus.COMPLETED && skipped > 0) {
			jobExecution.setExitStatus(new ExitStatus(EXIT_CODE,
					skipped + " subject(s) skipped: see erasure_request.error_code of the FAILED requests"));
		}
	}

}
