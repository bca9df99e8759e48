package io.github.batchpushgateway.batch;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.step.AbstractStep;
import org.springframework.batch.core.step.Step;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.Assert;

/**
 * Attaches the push listeners to every job bean whose name the filter accepts, and to every step:
 * step beans, and the steps a job holds that are not beans (built inline in a flow), which the job
 * itself can list. Registering the same listener twice on a step has no effect.
 */
public final class BatchPushListenerRegistrar implements BeanPostProcessor {

	private static final Log logger = LogFactory.getLog(BatchPushListenerRegistrar.class);

	private final JobNameFilter filter;

	private final JobPushListener jobListener;

	private final StepPushListener stepListener;

	/**
	 * Creates a registrar.
	 * @param filter which jobs push
	 * @param jobListener the listener for job events
	 * @param stepListener the listener for step events
	 */
	public BatchPushListenerRegistrar(JobNameFilter filter, JobPushListener jobListener,
			StepPushListener stepListener) {
		Assert.notNull(filter, "'filter' must not be null");
		Assert.notNull(jobListener, "'jobListener' must not be null");
		Assert.notNull(stepListener, "'stepListener' must not be null");
		this.filter = filter;
		this.jobListener = jobListener;
		this.stepListener = stepListener;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof AbstractJob job) {
			register(job);
		}
		else if (bean instanceof AbstractStep step) {
			step.registerStepExecutionListener(this.stepListener);
		}
		return bean;
	}

	private void register(AbstractJob job) {
		if (!this.filter.matches(job.getName())) {
			logger.debug("Job '" + job.getName() + "' is excluded from pushing");
			return;
		}
		job.registerJobExecutionListener(this.jobListener);
		for (String stepName : job.getStepNames()) {
			Step step = job.getStep(stepName);
			if (step instanceof AbstractStep abstractStep) {
				abstractStep.registerStepExecutionListener(this.stepListener);
			}
		}
	}

}
