package io.github.batchpushgateway.example.gdpr.verification;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.batchpushgateway.example.gdpr.erasure.NotificationQueue;
import io.github.batchpushgateway.example.gdpr.erasure.SubjectIdentifiers;
import io.github.batchpushgateway.example.gdpr.metrics.ErasureRunStatistics;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.test.MetaDataInstanceFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.mockito.Mockito.mock;

/**
 * How {@link ErasureVerificationTasklet} goes through a run's completed requests: a group per
 * transaction, each verification committed with its confirmation.
 */
class ErasureVerificationTaskletTests {

	private final JdbcDataSource dataSource = VerificationDatabase.create();

	private final JdbcClient jdbc = JdbcClient.create(this.dataSource);

	private final Clock clock = Clock.fixed(Instant.parse("2026-03-02T10:00:00Z"), ZoneOffset.UTC);

	@Test
	void aVerificationStoppedByACrashKeepsTheGroupsItCommittedEachWithItsConfirmation() {
		// given: five completed requests, verified two per transaction, the second group's check failing
		for (int i = 0; i < 5; i++) {
			completedRequest(UUID.randomUUID());
		}
		AtomicInteger checked = new AtomicInteger();
		ResidualData failingSecondGroup = new ResidualData(this.jdbc) {

			@Override
			public Map<SubjectIdentifiers, Map<String, Long>> ofSubjects(Collection<SubjectIdentifiers> subjects) {
				if (checked.incrementAndGet() == 2) {
					throw new IllegalStateException("the process dies");
				}
				return super.ofSubjects(subjects);
			}

		};

		// when
		assertThatIllegalStateException().isThrownBy(() -> verify(failingSecondGroup));

		// then: the first group is verified and confirmed, nothing after it
		List<Long> requests = this.jdbc.sql("SELECT id FROM erasure_request ORDER BY id").query(Long.class).list();
		assertThat(verified()).containsExactlyInAnyOrderElementsOf(requests.subList(0, 2));
		assertThat(VerificationDatabase.confirmed(this.jdbc)).containsExactlyInAnyOrderElementsOf(requests.subList(0, 2));

		// and the next run verifies the rest, each confirmed once
		verify(new ResidualData(this.jdbc));
		assertThat(verified()).containsExactlyInAnyOrderElementsOf(requests);
		assertThat(VerificationDatabase.confirmed(this.jdbc)).containsExactlyInAnyOrderElementsOf(requests);
	}

	@Test
	void aSubjectWithDataLeftFailsAloneAndTheOthersOfItsGroupAreVerifiedAndConfirmed() {
		// given: three completed requests in one group, the second subject's account still there
		UUID left = UUID.randomUUID();
		this.jdbc.sql("INSERT INTO customer (id, email, name, created_at) VALUES (?, 'left@example.org', 'Left', LOCALTIMESTAMP)")
			.param(left)
			.update();
		completedRequest(UUID.randomUUID());
		completedRequest(left);
		completedRequest(UUID.randomUUID());
		List<Long> requests = this.jdbc.sql("SELECT id FROM erasure_request ORDER BY id").query(Long.class).list();

		// when
		assertThatExceptionOfType(ResidualDataException.class).isThrownBy(() -> verify(new ResidualData(this.jdbc), 3))
			.withMessageContaining("after 1 erasure(s)")
			.withMessageContaining("customer=1");

		// then
		assertThat(this.jdbc.sql("SELECT id FROM erasure_request WHERE status = 'FAILED' AND error_code = 'RESIDUAL_DATA'")
			.query(Long.class)
			.list()).containsExactly(requests.get(1));
		assertThat(verified()).containsExactlyInAnyOrder(requests.get(0), requests.get(2));
		assertThat(VerificationDatabase.confirmed(this.jdbc)).containsExactlyInAnyOrder(requests.get(0), requests.get(2));
	}

	private void verify(ResidualData residualData) {
		verify(residualData, 2);
	}

	private void verify(ResidualData residualData, int requestsPerTransaction) {
		StepExecution step = MetaDataInstanceFactory.createStepExecution();
		ErasureVerifier verifier = new ErasureVerifier(this.jdbc, residualData, this.clock,
				new NotificationQueue(this.jdbc, this.clock), "mailto:replies");
		new ErasureVerificationTasklet(this.jdbc, verifier, new JdbcTransactionManager(this.dataSource),
				new ErasureRunStatistics(), mock(JobRepository.class), requestsPerTransaction)
			.execute(new StepContribution(step), new ChunkContext(new StepContext(step)));
	}

	private void completedRequest(UUID subject) {
		this.jdbc.sql("""
				INSERT INTO erasure_request (subject_id, requester_email, ground, received_at, status, completed_at)
				VALUES (?, 'someone@example.org', 'CONSENT_WITHDRAWN', CURRENT_TIMESTAMP, 'COMPLETED', CURRENT_TIMESTAMP)""")
			.param(subject)
			.update();
	}

	private List<Long> verified() {
		return this.jdbc.sql("SELECT id FROM erasure_request WHERE verified_at IS NOT NULL").query(Long.class).list();
	}


}
