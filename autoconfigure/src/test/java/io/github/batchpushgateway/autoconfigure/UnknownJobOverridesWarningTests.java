package io.github.batchpushgateway.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.Job;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link UnknownJobOverridesWarning}.
 */
class UnknownJobOverridesWarningTests {

	private final StaticListableBeanFactory beans = new StaticListableBeanFactory();

	private final ObjectProvider<Job> jobs = this.beans.getBeanProvider(Job.class);

	@Test
	void namesThatGiveNoJobItsOverridesAreUnknown() {
		job("importJob");

		assertThat(warning("importJob", "importJobb").unknownNames()).containsExactly("importJobb");
	}

	@Test
	void aNameThatDiffersFromAJobsInCaseAloneIsKnown() {
		// as an environment variable gives it
		job("importJob");

		assertThat(warning("importjob").unknownNames()).isEmpty();
	}

	@Test
	void aNameInAnotherCaseNextToTheExactOneIsNotUnknown() {
		// an environment variable next to a property with the job's exact name: Spring Boot binds both
		job("importJob");

		assertThat(warning("importJob", "importjob").unknownNames()).isEmpty();
		assertThat(warning("importJob", "importjob").ambiguousNames()).isEmpty();
	}

	@Test
	void twoNamesThatBothDifferInCaseAloneAreAmbiguous() {
		job("importJob");

		UnknownJobOverridesWarning warning = warning("importjob", "IMPORTJOB");

		assertThat(warning.unknownNames()).isEmpty();
		assertThat(warning.ambiguousNames()).containsExactly("IMPORTJOB", "importjob");
	}

	private UnknownJobOverridesWarning warning(String... names) {
		BatchPushgatewayProperties.Jobs settings = new BatchPushgatewayProperties.Jobs();
		for (String name : names) {
			settings.getOverrides().put(name, new BatchPushgatewayProperties.JobSettings());
		}
		return new UnknownJobOverridesWarning(settings, this.jobs);
	}

	private void job(String name) {
		Job job = mock(Job.class);
		given(job.getName()).willReturn(name);
		this.beans.addBean(name, job);
	}

}
