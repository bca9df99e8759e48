package io.github.batchpushgateway.example.gdpr;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

/**
 * Reading job executions in tests. (Not on the test classes themselves: Spring Batch's test
 * listener treats any method returning a {@link StepExecution} there as a step-scope factory.)
 */
final class Executions {

	private Executions() {
	}

	static StepExecution step(JobExecution execution, String stepName) {
		return execution.getStepExecutions()
			.stream()
			.filter((candidate) -> candidate.getStepName().equals(stepName))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No step " + stepName + " in " + execution));
	}

}
