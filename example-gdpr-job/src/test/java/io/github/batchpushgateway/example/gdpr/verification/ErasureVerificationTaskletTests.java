package io.github.batchpushgateway.example.gdpr.verification;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
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
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.jdbc.support.JdbcTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.mockito.Mockito.mock;

/**
 * How {@link ErasureVerificationTasklet} goes through a run's completed requests: in the order
 * of H2's indexes on their subjects, a group per transaction, each verification committed with
 * its confirmation.
 */
class ErasureVerificationTaskletTests {

	/** Subjects whose ids' first half is negative as a signed long (8..., 9..., f...) and positive (1..., 2...). */
	private static final List<UUID> SUBJECTS = List.of(UUID.fromString("f0000000-0000-4000-8000-000000000001"),
			UUID.fromString("80000000-0000-4000-8000-000000000002"), UUID.fromString("20000000-0000-4000-8000-000000000003"),
			UUID.fromString("90000000-0000-4000-8000-000000000004"), UUID.fromString("10000000-0000-4000-8000-000000000005"));

	private final JdbcDataSource dataSource = database();

	private final JdbcClient jdbc = JdbcClient.create(this.dataSource);

	private final Clock clock = Clock.fixed(Instant.parse("2026-03-02T10:00:00Z"), ZoneOffset.UTC);

	@Test
	void aVerificationStoppedByACrashKeepsTheGroupsItCommittedEachWithItsConfirmation() {
		// given: five completed requests, verified two per transaction, the third check failing
		SUBJECTS.forEach(this::completedRequest);
		AtomicInteger checked = new AtomicInteger();
		ResidualData failingThird = new ResidualData(this.jdbc) {

			@Override
			public Map<String, Long> ofSubject(SubjectIdentifiers subject) {
				if (checked.incrementAndGet() == 3) {
					throw new IllegalStateException("the process dies");
				}
				return super.ofSubject(subject);
			}

		};

		// when
		assertThatIllegalStateException().isThrownBy(() -> verify(failingThird));

		// then: the first group, in H2's order of the subjects, is verified and confirmed; nothing after it
		List<Long> inIndexOrder = this.jdbc.sql("SELECT id FROM erasure_request ORDER BY subject_id")
			.query(Long.class)
			.list();
		assertThat(verified()).containsExactlyInAnyOrderElementsOf(inIndexOrder.subList(0, 2));
		assertThat(confirmed()).containsExactlyInAnyOrderElementsOf(inIndexOrder.subList(0, 2));

		// and the next run verifies the rest, each confirmed once
		verify(new ResidualData(this.jdbc));
		assertThat(verified()).containsExactlyInAnyOrderElementsOf(inIndexOrder);
		assertThat(confirmed()).containsExactlyInAnyOrderElementsOf(inIndexOrder);
	}

	@Test
	void subjectsAreOrderedAsH2OrdersThemInItsIndexes() {
		// given
		SUBJECTS.forEach(this::completedRequest);

		// when
		List<UUID> sorted = SUBJECTS.stream().sorted(ErasureVerificationTasklet::inIndexOrder).toList();

		// then
		assertThat(sorted).containsExactlyElementsOf(this.jdbc
			.sql("SELECT subject_id FROM erasure_request ORDER BY subject_id")
			.query(UUID.class)
			.list());
	}

	private void verify(ResidualData residualData) {
		StepExecution step = MetaDataInstanceFactory.createStepExecution();
		new ErasureVerificationTasklet(this.jdbc, residualData, new JdbcTransactionManager(this.dataSource),
				new ErasureRunStatistics(), this.clock, new NotificationQueue(this.jdbc, this.clock), "mailto:replies",
				mock(JobRepository.class), 2)
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

	/** The requests with a confirmation queued, once per confirmation. */
	private List<Long> confirmed() {
		return this.jdbc.sql("SELECT request_id FROM notification_outbox WHERE message = 'ERASURE_CONFIRMATION'")
			.query(Long.class)
			.list();
	}

	private static JdbcDataSource database() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:mem:verification-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		new ResourceDatabasePopulator(new ClassPathResource("schema.sql")).execute(dataSource);
		return dataSource;
	}

}
