package io.github.batchpushgateway.example.gdpr.erasure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * Processes the erasure requests of a chunk in the chunk's transaction, with the outcome each
 * would have had in a transaction of its own, one after another in the chunk's order.
 *
 * <p>The chunk is taken in rounds: a round holds requests whose subjects share no identifier
 * (account id or address) with an earlier request of the chunk still waiting, so a later
 * request for a subject, or for an address, that an earlier one erases is decided in a later
 * round, once it can see that erasure (and is answered "no data held", not erased twice). In
 * a round, a few queries for all of its requests tell the common case: a verified request,
 * its subject's account present, no active legal hold, every order in a closed status. Those
 * are erased together by {@link ErasureBatch}; every other request (a hold, a contract, no
 * data held, an identity not verified, a request no longer waiting) is decided by
 * {@link SubjectEraser} on its own. A chunk of one request, as Spring Batch writes them to
 * isolate a failing subject, is a round of one.
 */
public class ChunkEraser {

	private final JdbcClient jdbc;

	private final SubjectEraser subjectEraser;

	private final ErasureBatch erasureBatch;

	private final OrderContracts contracts;

	public ChunkEraser(JdbcClient jdbc, SubjectEraser subjectEraser, ErasureBatch erasureBatch,
			OrderContracts contracts) {
		Assert.notNull(jdbc, "'jdbc' must not be null");
		Assert.notNull(subjectEraser, "'subjectEraser' must not be null");
		Assert.notNull(erasureBatch, "'erasureBatch' must not be null");
		Assert.notNull(contracts, "'contracts' must not be null");
		this.jdbc = jdbc;
		this.subjectEraser = subjectEraser;
		this.erasureBatch = erasureBatch;
		this.contracts = contracts;
	}

	/**
	 * Processes requests, in their order.
	 * @param requestIds the requests, each once
	 * @param jobExecutionId the job execution, for the audit record
	 * @return what each request led to, in the order of the requests
	 */
	public List<ErasureOutcome> erase(List<Long> requestIds, long jobExecutionId) {
		ErasureOutcome[] outcomes = new ErasureOutcome[requestIds.size()];
		Map<Long, LockedRequest> locked = lock(requestIds);
		List<@Nullable LockedRequest> requests = requestIds.stream().map(locked::get).toList();
		List<Integer> waiting = IntStream.range(0, requests.size()).boxed().toList();
		while (!waiting.isEmpty()) {
			Round round = round(requests, waiting);
			List<ErasureBatch.Erasure> clear = clearCases(round.candidates());
			List<Integer> individually = new ArrayList<>(round.individually());
			for (int k = 0; k < round.candidates().size(); k++) {
				if (clear.contains(round.candidates().get(k))) {
					outcomes[round.candidateIndexes().get(k)] = ErasureOutcome.COMPLETED;
				}
				else {
					individually.add(round.candidateIndexes().get(k));
				}
			}
			for (int i : individually) {
				outcomes[i] = this.subjectEraser.erase(requestIds.get(i), jobExecutionId);
			}
			this.erasureBatch.erase(clear, jobExecutionId);
			waiting = round.later();
		}
		return List.of(outcomes);
	}

	/**
	 * Takes the waiting requests that share no identifier with an earlier waiting one, and
	 * among them the candidates for erasing together: verified, their account present.
	 */
	private Round round(List<@Nullable LockedRequest> requests, List<Integer> waiting) {
		Map<UUID, String> accountEmails = accountEmails(waiting.stream()
			.map(requests::get)
			.filter(Objects::nonNull)
			.map(LockedRequest::subjectId)
			.toList());
		Set<UUID> seenSubjects = new HashSet<>();
		Set<String> seenEmails = new HashSet<>();
		Round round = new Round(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
		for (int i : waiting) {
			LockedRequest request = requests.get(i);
			if (request == null) {
				round.individually().add(i);
				continue;
			}
			SubjectIdentifiers subject = SubjectIdentifiers.of(request.subjectId(),
					accountEmails.get(request.subjectId()), request.requesterEmail());
			boolean shares = seenSubjects.contains(subject.subjectId())
					|| subject.emails().stream().anyMatch(seenEmails::contains);
			// a later request that shares an identifier with this one waits for it, even when this one waits
			seenSubjects.add(subject.subjectId());
			seenEmails.addAll(subject.emails());
			if (shares) {
				round.later().add(i);
			}
			else if (request.isProcessable() && request.identityVerified()
					&& accountEmails.containsKey(request.subjectId())) {
				round.candidateIndexes().add(i);
				round.candidates().add(new ErasureBatch.Erasure(request, subject));
			}
			else {
				round.individually().add(i);
			}
		}
		return round;
	}

	private Map<Long, LockedRequest> lock(List<Long> requestIds) {
		Map<Long, LockedRequest> requests = new HashMap<>();
		this.jdbc.sql("SELECT " + LockedRequest.COLUMNS + " FROM erasure_request WHERE id IN (:ids) FOR UPDATE")
			.param("ids", requestIds)
			.query(LockedRequest.MAPPER)
			.list()
			.forEach((request) -> requests.put(request.id(), request));
		return requests;
	}

	private Map<UUID, String> accountEmails(List<UUID> subjects) {
		Map<UUID, String> emails = new HashMap<>();
		if (!subjects.isEmpty()) {
			this.jdbc.sql("SELECT id, email FROM customer WHERE id IN (:subjects)")
				.param("subjects", subjects)
				.query((rs) -> {
					emails.put(rs.getObject("id", UUID.class), rs.getString("email"));
				});
		}
		return emails;
	}

	/**
	 * Requests of a chunk taken in one round, by their index in the chunk.
	 *
	 * @param candidates the candidates for erasing together
	 * @param candidateIndexes the index of each candidate
	 * @param individually requests decided on their own
	 * @param later requests that wait for a later round
	 */
	private record Round(List<ErasureBatch.Erasure> candidates, List<Integer> candidateIndexes,
			List<Integer> individually, List<Integer> later) {
	}

	/**
	 * Returns the erasures nothing stands in the way of: no active legal hold, every order in
	 * a closed status.
	 */
	private List<ErasureBatch.Erasure> clearCases(List<ErasureBatch.Erasure> erasures) {
		if (erasures.isEmpty()) {
			return List.of();
		}
		List<SubjectIdentifiers> subjects = erasures.stream().map(ErasureBatch.Erasure::subject).toList();
		Set<UUID> held = new HashSet<>(this.jdbc.sql("""
				SELECT DISTINCT customer_id FROM legal_hold WHERE customer_id IN (:subjects) AND released_on IS NULL""")
			.param("subjects", subjects.stream().map(SubjectIdentifiers::subjectId).toList())
			.query(UUID.class)
			.list());
		Map<UUID, Set<String>> statuses = this.contracts.statuses(subjects);
		return erasures.stream()
			.filter((erasure) -> !held.contains(erasure.subject().subjectId())
					&& this.contracts.allClosed(statuses.get(erasure.subject().subjectId())))
			.toList();
	}

}
