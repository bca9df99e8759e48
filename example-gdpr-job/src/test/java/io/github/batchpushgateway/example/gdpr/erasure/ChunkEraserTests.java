package io.github.batchpushgateway.example.gdpr.erasure;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * {@link ChunkEraser} sends a chunk's clear cases to {@link ErasureBatch} together, every other
 * request to {@link SubjectEraser}, and a request that shares an identifier with an earlier one
 * of the chunk to a later round.
 */
class ChunkEraserTests {

	private final JdbcTemplate jdbc = database();

	private final SubjectEraser subjectEraser = mock(SubjectEraser.class);

	private final ErasureBatch erasureBatch = mock(ErasureBatch.class);

	private final OrderContracts contracts = mock(OrderContracts.class);

	private final ChunkEraser eraser = new ChunkEraser(JdbcClient.create(this.jdbc), this.subjectEraser,
			this.erasureBatch, this.contracts);

	private final List<List<Long>> batches = new ArrayList<>();

	ChunkEraserTests() {
		given(this.contracts.allClosed(any())).willReturn(true);
		given(this.contracts.statuses(anyList())).willAnswer((invocation) -> {
			List<SubjectIdentifiers> subjects = invocation.getArgument(0);
			return subjects.stream()
				.collect(Collectors.toMap(SubjectIdentifiers::subjectId, (subject) -> Set.of()));
		});
		doAnswer((invocation) -> {
			List<ErasureBatch.Erasure> erasures = invocation.getArgument(0);
			this.batches.add(erasures.stream().map((erasure) -> erasure.request().id()).toList());
			return null;
		}).when(this.erasureBatch).erase(anyList(), anyLong());
		given(this.subjectEraser.erase(anyLong(), anyLong())).willReturn(ErasureOutcome.NO_DATA_HELD);
	}

	@Test
	void clearCasesAreErasedTogetherAndTheOthersOneByOne() {
		// given: two accounts with verified requests, one request for an account that does not exist
		long first = request(customer("a@example.org"), "x@example.org");
		long second = request(customer("b@example.org"), "y@example.org");
		long unknown = request(UUID.randomUUID(), "z@example.org");

		// when
		List<ErasureOutcome> outcomes = this.eraser.erase(List.of(first, unknown, second), 1L);

		// then
		assertThat(outcomes).containsExactly(ErasureOutcome.COMPLETED, ErasureOutcome.NO_DATA_HELD,
				ErasureOutcome.COMPLETED);
		assertThat(this.batches).containsExactly(List.of(first, second));
		verify(this.subjectEraser).erase(eq(unknown), anyLong());
		verify(this.subjectEraser, never()).erase(eq(first), anyLong());
	}

	@Test
	void requestSharingAnAccountOrAnAddressWithAnEarlierOneWaitsForALaterRound() {
		// given: a second request for the same account, and a request from an address the first
		// account's request holds, each behind the request it shares an identifier with
		UUID zelda = customer("zelda@example.org");
		long first = request(zelda, "zelda@example.org");
		long again = request(zelda, "zelda@example.org");
		long fromHerAddress = request(customer("other@example.org"), "ZELDA@example.org ");
		long unrelated = request(customer("c@example.org"), "c@example.org");

		// when
		this.eraser.erase(List.of(first, again, fromHerAddress, unrelated), 1L);

		// then: the first round erases the first and the unrelated request; the others follow,
		// one round each, since they share the address too
		assertThat(this.batches).containsExactly(List.of(first, unrelated), List.of(again), List.of(fromHerAddress));
	}

	@Test
	void heldSubjectIsDecidedOnItsOwn() {
		// given
		UUID held = customer("held@example.org");
		this.jdbc.update("INSERT INTO legal_hold (customer_id, released_on) VALUES (?, NULL)", held);
		long request = request(held, "held@example.org");

		// when
		this.eraser.erase(List.of(request), 1L);

		// then
		verify(this.subjectEraser).erase(eq(request), anyLong());
		assertThat(this.batches).allMatch(List::isEmpty);
	}

	private UUID customer(String email) {
		UUID id = UUID.randomUUID();
		this.jdbc.update("INSERT INTO customer (id, email) VALUES (?, ?)", id, email);
		return id;
	}

	private long request(UUID subject, String requesterEmail) {
		this.jdbc.update("""
				INSERT INTO erasure_request (subject_id, requester_email, ground, status, identity_verified_at)
				VALUES (?, ?, 'CONSENT_WITHDRAWN', 'VERIFIED', CURRENT_TIMESTAMP)""", subject, requesterEmail);
		return this.jdbc.queryForObject("SELECT MAX(id) FROM erasure_request", Long.class);
	}

	private static JdbcTemplate database() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:mem:chunk-eraser-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		jdbc.execute("CREATE TABLE customer (id UUID PRIMARY KEY, email VARCHAR(320))");
		jdbc.execute("CREATE TABLE legal_hold (customer_id UUID, released_on DATE)");
		jdbc.execute("""
				CREATE TABLE erasure_request (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, subject_id UUID,
					requester_email VARCHAR(320), ground VARCHAR(40), status VARCHAR(20), reason_code VARCHAR(40),
					error_code VARCHAR(40), identity_verified_at TIMESTAMP)""");
		return jdbc;
	}

}
