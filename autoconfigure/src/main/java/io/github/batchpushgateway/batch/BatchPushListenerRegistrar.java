package io.github.batchpushgateway.batch;

import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.step.AbstractStep;
import org.springframework.batch.core.step.Step;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.Assert;

/**
 * Attaches the push listeners to every job bean whose name the filter accepts, and to every step:
 * step beans, and the steps a job holds that are not beans (built inline in a flow), which the job
 * itself can list. Registering the same listener twice on a job or a step has no effect.
 *
 * <p>A job that is not a bean (built at runtime with a {@code JobBuilder} and started with
 * {@code JobOperator}) is made to push with one call of {@link #register(Job)} on this bean,
 * which exists while the starter is enabled:
 *
 * <pre class="code">
 * registrar.ifAvailable((pushing) -&gt; pushing.register(job));   // ObjectProvider&lt;BatchPushListenerRegistrar&gt;
 * </pre>
 */
public final class BatchPushListenerRegistrar implements BeanPostProcessor {

	private static final Log logger = LogFactory.getLog(BatchPushListenerRegistrar.class);

	private final JobNameFilter filter;

	private final JobPushListener jobListener;

	private final StepPushListener stepListener;

	/**
	 * Creates a registrar. The auto-configuration creates the one the application uses: inject
	 * it rather than creating another.
	 * @param filter which jobs push
	 * @param recorder where job and step events go, looked up at the first event so that
	 * creating the registrar early creates nothing else
	 */
	public BatchPushListenerRegistrar(JobNameFilter filter, Supplier<JobEventRecorder> recorder) {
		this(filter, new JobPushListener(recorder), new StepPushListener(recorder));
	}

	BatchPushListenerRegistrar(JobNameFilter filter, JobPushListener jobListener, StepPushListener stepListener) {
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

	/**
	 * Makes a job that is not a bean push as job beans do, its steps included: for a job built
	 * at runtime and started with {@code JobOperator}. Call it before the job's first start;
	 * calling it again has no effect. A job that {@code jobs.include} and {@code jobs.exclude}
	 * leave out is left alone.
	 * @param job the job: an {@link AbstractJob}, as every job a {@code JobBuilder} builds is
	 * @return whether the job pushes, {@code false} when {@code jobs.include} and
	 * {@code jobs.exclude} leave it out
	 * @throws IllegalArgumentException when the job is not an {@link AbstractJob}, to which no
	 * listener can be attached from outside
	 */
	public boolean register(Job job) {
		Assert.notNull(job, "'job' must not be null");
		if (!(job instanceof AbstractJob abstractJob)) {
			throw new IllegalArgumentException("Job '" + job.getName() + "' is a " + job.getClass().getName()
					+ ", not an AbstractJob: batch-pushgateway cannot attach its listeners to it");
		}
		return register(abstractJob);
	}

	private boolean register(AbstractJob job) {
		if (!this.filter.matches(job.getName())) {
			logger.debug("Job '" + job.getName() + "' is excluded from pushing");
			return false;
		}
		job.registerJobExecutionListener(this.jobListener);
		for (String stepName : job.getStepNames()) {
			Step step = job.getStep(stepName);
			if (step instanceof AbstractStep abstractStep) {
				abstractStep.registerStepExecutionListener(this.stepListener);
			}
		}
		return true;
	}

}
