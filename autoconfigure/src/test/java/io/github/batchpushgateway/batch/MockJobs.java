package io.github.batchpushgateway.batch;

import java.util.ArrayList;
import java.util.List;

import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.step.Step;

import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Mocked jobs for the tests of post-processors that reach a job's steps.
 */
public final class MockJobs {

	private MockJobs() {
	}

	/**
	 * Returns a mocked job that lists the given steps as {@code step0}, {@code step1} ...
	 * @param name the job's name
	 * @param steps its steps
	 * @return the job
	 */
	public static AbstractJob job(String name, Step... steps) {
		AbstractJob job = mock(AbstractJob.class);
		given(job.getName()).willReturn(name);
		List<String> names = new ArrayList<>();
		for (int i = 0; i < steps.length; i++) {
			String stepName = "step" + i;
			names.add(stepName);
			given(job.getStep(stepName)).willReturn(steps[i]);
		}
		given(job.getStepNames()).willReturn(names);
		return job;
	}

}
