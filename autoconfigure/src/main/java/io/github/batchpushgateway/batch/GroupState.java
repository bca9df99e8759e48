package io.github.batchpushgateway.batch;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.github.batchpushgateway.metrics.BatchTimes;
import io.github.batchpushgateway.metrics.ExecutionSteps;
import io.github.batchpushgateway.metrics.JobHistory;
import io.github.batchpushgateway.metrics.JobHistory.FinishedRun;
import io.github.batchpushgateway.metrics.JobSchedule;
import io.github.batchpushgateway.metrics.JobState;
import io.github.batchpushgateway.metrics.Partitions;
import io.github.batchpushgateway.push.GroupOutcomes;
import io.github.batchpushgateway.push.PushGroup;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.util.Assert;

/**
 * Everything this JVM knows of one group, and the one place its state is assembled before each
 * push: the executions this JVM runs until the sending side took in their end, the group's
 * history (last success, last failure, shown run), the time of the last progress, and what the
 * job repository says other JVMs run.
 *
 * <p>Job threads only add executions ({@link #add}) and set flags on them; everything else is
 * read and written on the sending side, under this object's lock.
 *
 * <p>The history is read from the job repository the first time it is needed, then tracked in
 * memory and merged with what the target already holds ({@link #absorb}): the newest of each
 * outcome wins, so the last success survives failed runs, a restarted empty gateway and
 * application restarts.
 */
final class GroupState {

	private static final Log logger = LogFactory.getLog(GroupState.class);

	private static final int RECENTLY_ENDED = 32;

	private static final Duration MIN_SILENCE = Duration.ofMinutes(1);

	/**
	 * How many pushes after an execution's end read its steps run elsewhere again while the
	 * repository still shows some running (heartbeats push them once per progress interval).
	 */
	static final int READINGS_AFTER_END = 30;

	final PushGroup group;

	final String jobName;

	private final JobRepositoryReads repository;

	/** Added to by job threads, removed from by the sending side. */
	private final List<TrackedExecution> executions = new CopyOnWriteArrayList<>();

	/**
	 * Ids of executions that ended recently, so that a shared job repository that still lists
	 * one as running does not count it twice.
	 */
	private final Set<Long> recentlyEnded = new LinkedHashSet<>();

	/** Seeded from the repository on first use. */
	private @Nullable JobHistory history;

	private @Nullable Instant lastProgress;

	/**
	 * Whether an execution is one this JVM runs and has not yet taken in: {@link #isInHand}. A
	 * class rather than a method reference, which a cold JVM would spin at its first push.
	 */
	private final Predicate<JobExecution> inHand = new InHand();

	/** When the history was last refreshed from the job repository. */
	private @Nullable Instant lastRefresh;

	/** Executions of other JVMs the job repository listed as running at its last reading. */
	private List<JobExecution> runningElsewhere = List.of();

	/** When the repository was last asked for them, {@code null} if never. */
	private @Nullable Instant runningElsewhereRead;

	/** The last execution taken in, while its history's shown run: its steps run elsewhere. */
	private @Nullable TrackedExecution lastTaken;

	GroupState(PushGroup group, String jobName, JobRepositoryReads repository) {
		Assert.notNull(group, "'group' must not be null");
		Assert.notNull(jobName, "'jobName' must not be null");
		Assert.notNull(repository, "'repository' must not be null");
		this.group = group;
		this.jobName = jobName;
		this.repository = repository;
	}

	/** A job thread: an execution of the group started. */
	void add(TrackedExecution execution) {
		this.executions.add(execution);
	}

	/** Returns the executions not yet taken in by the sending side. */
	List<TrackedExecution> executions() {
		return new ArrayList<>(this.executions);
	}

	boolean hasExecutions() {
		return !this.executions.isEmpty();
	}

	/**
	 * Assembles the group's state for a push: takes in the executions that ended, notes progress,
	 * and counts the running executions (with a shared job repository, those of other JVMs too).
	 * @param now the time of the push
	 * @param schedule the job's configured intervals
	 * @param untrack told of each execution taken in, once its run is in the history
	 * @return the group's state
	 */
	synchronized JobState state(Instant now, JobSchedule schedule, Consumer<TrackedExecution> untrack) {
		takeInEnded(now, untrack);
		JobHistory history = refreshedHistory(now, schedule);
		TrackedExecution current = null;
		Steps currentSteps = null;
		int here = 0;
		for (TrackedExecution tracked : this.executions) {
			here++;
			Steps steps = Steps.of(tracked);
			readStepsRunElsewhere(tracked, steps, now);
			progressed(tracked, steps, now);
			if (current == null || isLater(tracked.execution, current.execution)) {
				current = tracked;
				currentSteps = steps;
			}
		}
		int elsewhere = runningElsewhere(now, schedule);
		TrackedExecution shown = current;
		Steps shownSteps = currentSteps;
		if (shown == null) {
			shown = lastTakenShown(history);
			shownSteps = (shown != null) ? readAgainAfterEnd(shown, now) : null;
		}
		if (shown == null) {
			// A run read from the repository is shown, with its steps: read in full once.
			history = this.repository.withShownRunInFull(history);
			this.history = history;
		}
		// Status, exit code and steps describe this JVM's newest running execution: of the others
		// the repository tells only that they run, and pushes of their own JVMs show the rest.
		ExecutionSteps steps = (shown != null && shownSteps != null) ? ExecutionSteps.of(shownSteps.all,
				shownSteps.managers, shown.readings(), now, schedule.stallTimeout()) : null;
		return new JobState(here + elsewhere, (current != null) ? current.execution : null, history,
				this.lastProgress, schedule, steps);
	}

	/** The last execution taken in, when the history still shows it, {@code null} otherwise. */
	private @Nullable TrackedExecution lastTakenShown(JobHistory history) {
		TrackedExecution last = this.lastTaken;
		FinishedRun shown = history.lastFinished();
		return (last != null && shown != null && shown.execution() == last.execution) ? last : null;
	}

	/**
	 * The steps of the last execution taken in: those run elsewhere that had not finished at its
	 * end are read again, for a while, so that a partition that ends after its job is not lost.
	 */
	private Steps readAgainAfterEnd(TrackedExecution last, Instant now) {
		Steps steps = Steps.of(last);
		if (awaitsStepsRunElsewhere(last, steps) && !now.equals(last.notes().readAt)) {
			last.notes().readingsAfterEnd++;
			readStepsRunElsewhere(last, steps, now);
		}
		return steps;
	}

	/**
	 * Whether the last execution taken in has steps run elsewhere that had not finished at the
	 * last reading, and they are still read again: its group is pushed meanwhile, whether an
	 * execution of it runs here or not.
	 * @return whether the group awaits steps run elsewhere
	 */
	synchronized boolean awaitsStepsRunElsewhere() {
		TrackedExecution last = this.lastTaken;
		return last != null && awaitsStepsRunElsewhere(last, Steps.of(last));
	}

	private static boolean awaitsStepsRunElsewhere(TrackedExecution last, Steps steps) {
		return last.notes().readingsAfterEnd < READINGS_AFTER_END
				&& last.awaitsStepsRunElsewhere(last.stepsRunElsewhere(steps.managers));
	}

	/**
	 * Reads the execution's steps run elsewhere from the job repository, in one read for all of
	 * them, when one has not finished at the last reading, at most once per push. An execution
	 * without such steps, as most are, reads nothing.
	 */
	private void readStepsRunElsewhere(TrackedExecution tracked, Steps steps, Instant now) {
		List<StepExecution> elsewhere = tracked.stepsRunElsewhere(steps.managers);
		if (elsewhere.isEmpty() || !tracked.awaitsStepsRunElsewhere(elsewhere) || now.equals(tracked.notes().readAt)) {
			return;
		}
		try {
			tracked.notes().readAt = now;
			tracked.notes().readings = this.repository.stepsOf(tracked.execution);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not read the steps of job '" + this.jobName + "' run elsewhere from the job repository;"
					+ " showing them as last read", ex);
		}
	}

	/**
	 * Moves the group's ended executions into its history and lets go of them. Also run by the
	 * heartbeat, so that ended executions are not held while the target cannot be reached.
	 * @param now the time
	 * @param untrack told of each execution taken in, once its run is in the history
	 */
	synchronized void takeInEnded(Instant now, Consumer<TrackedExecution> untrack) {
		for (TrackedExecution tracked : this.executions) {
			if (tracked.isOver()) {
				// Its last push shows its steps run elsewhere as the repository holds them at its end.
				Steps steps = Steps.of(tracked);
				readStepsRunElsewhere(tracked, steps, now);
				progressed(tracked, steps, now);
				FinishedRun run = tracked.take();
				if (run != null) {
					recordFinished(run);
					this.lastTaken = tracked;
				}
				this.executions.remove(tracked);
				rememberEnded(tracked.execution.getId());
				untrack.accept(tracked);
			}
		}
	}

	private void rememberEnded(long id) {
		this.recentlyEnded.add(id);
		if (this.recentlyEnded.size() > RECENTLY_ENDED) {
			this.recentlyEnded.remove(this.recentlyEnded.iterator().next());
		}
	}

	synchronized boolean endedRecently(long id) {
		return this.recentlyEnded.contains(id);
	}

	/**
	 * Returns the group's history, seeding it from the repository on first use.
	 * @return the history
	 */
	synchronized JobHistory history() {
		if (this.history == null) {
			this.history = this.repository.seed(this.group, this.jobName, this.inHand).history();
		}
		return this.history;
	}

	/**
	 * Adds a finished run this JVM ran to the history.
	 * @param run the finished run
	 * @return the updated history
	 */
	synchronized JobHistory recordFinished(FinishedRun run) {
		this.history = history().withRunInHand(run);
		return this.history;
	}

	/**
	 * Merges the outcomes a target holds for the group into its history; the newest of each wins.
	 * @param held what the target holds
	 * @return the updated history
	 */
	synchronized JobHistory absorb(GroupOutcomes held) {
		this.history = history().with(held);
		return this.history;
	}

	/**
	 * The history, seeded from the repository on first use. A seed made here, as a push's state
	 * is built, that read the job's newest instances (and more) counts as the refresh of
	 * {@code now}: the same push does not read the same rows again. A seed made earlier, at the
	 * read-back ahead of the group's first push ({@link #absorb}), does not: that read-back runs as
	 * the job's start is held, and a short job's end pushed within the progress interval would
	 * otherwise replace the group with a history from before its start, leaving out a run
	 * another JVM sharing the repository ended meanwhile.
	 */
	private JobHistory seededHistory(Instant now) {
		if (this.history == null) {
			JobRepositoryReads.Seed seed = this.repository.seed(this.group, this.jobName, this.inHand);
			this.history = seed.history();
			if (seed.newestRunsRead()) {
				this.lastRefresh = now;
			}
		}
		return this.history;
	}

	/**
	 * Returns the history with the runs of the job's newest instances in the repository merged
	 * in: with a repository shared by several JVMs, runs that other JVMs ended since are taken in,
	 * so this JVM's pushes never replace their outcomes with older ones.
	 * @return the history
	 */
	JobHistory refreshHistory() {
		return refreshHistory((execution) -> false);
	}

	/**
	 * Returns the history with the repository's newest runs merged in, except those this JVM
	 * still has in hand: Spring Batch saves a job's end before it calls the afterJob listeners,
	 * which may still change its outcome, so a copy read then could give the group a last success
	 * the run does not end with.
	 * @param inHand whether an execution is one this JVM runs and has not yet taken in
	 * @return the history
	 */
	synchronized JobHistory refreshHistory(Predicate<JobExecution> inHand) {
		JobHistory history = history();
		try {
			for (FinishedRun run : this.repository.newestRuns(this.group, this.jobName, inHand)) {
				history = history.with(run);
			}
			this.history = history;
		}
		catch (RuntimeException ex) {
			logger.debug("Could not refresh the history of job '" + this.jobName + "' from the job repository", ex);
		}
		return this.history;
	}

	/**
	 * The history, with the repository's newest runs merged in at most once per progress
	 * interval: runs other JVMs sharing the repository ended get in within an interval, while a
	 * job's own end does not wait for a reading of the repository it has just written.
	 */
	private JobHistory refreshedHistory(Instant now, JobSchedule schedule) {
		seededHistory(now);
		Instant last = this.lastRefresh;
		if (last != null && now.isBefore(last.plus(schedule.progressInterval()))) {
			return history();
		}
		this.lastRefresh = now;
		return refreshHistory(this.inHand);
	}

	private void progressed(TrackedExecution tracked, Steps steps, Instant now) {
		long progress = tracked.progress(steps.all);
		TrackedExecution.SenderNotes notes = tracked.notes();
		if (progress != notes.progressFingerprint) {
			notes.progressFingerprint = progress;
			this.lastProgress = now;
		}
	}

	/**
	 * Counts the executions the job repository lists as running in this group that this JVM does
	 * not run and that the repository saw alive recently: other JVMs sharing the repository. An
	 * execution whose process died without ending it stays "running" in the repository for ever;
	 * it counts only until it has been silent there for three progress intervals (at least a
	 * minute), so that a crash long ago does not keep every later run's group running. A step of
	 * another JVM that saves nothing for longer is then counted by that JVM's own heartbeat pushes
	 * only.
	 *
	 * <p>The repository is asked at most once per progress interval: the query reads every
	 * execution of the job, so asking at every push made each run slower the more runs the
	 * repository held. While this JVM still runs an execution of the group, its next heartbeat
	 * corrects within an interval what changed elsewhere meanwhile. The push that leaves the group
	 * without one here is the last this JVM makes, so there the executions counted before are
	 * looked up again, by id: one that ended must not stay counted, as no later push of this JVM
	 * would take it back. One that started elsewhere since is counted by its own JVM's pushes.
	 */
	private int runningElsewhere(Instant now, JobSchedule schedule) {
		if (!this.repository.available()) {
			return 0;
		}
		Instant read = this.runningElsewhereRead;
		try {
			if (read == null || !now.isBefore(read.plus(schedule.progressInterval()))) {
				this.runningElsewhere = listedRunning(aliveSince(now, schedule));
				this.runningElsewhereRead = now;
			}
			else if (this.executions.isEmpty() && !this.runningElsewhere.isEmpty()) {
				this.runningElsewhere = stillRunning(this.runningElsewhere, aliveSince(now, schedule));
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Could not read the running executions of job '" + this.jobName
					+ "' from the job repository; counting this JVM's only", ex);
			this.runningElsewhere = List.of();
			this.runningElsewhereRead = null;
		}
		int elsewhere = 0;
		for (JobExecution execution : this.runningElsewhere) {
			if (!isInHand(execution) && !endedRecently(execution.getId())) {
				elsewhere++;
			}
		}
		return elsewhere;
	}

	/** Asks the repository for the group's running executions that are not this JVM's. */
	/**
	 * The oldest last save of an execution of another JVM that still counts as running. Asked only
	 * when the repository is read: {@code Duration.multipliedBy} computes in {@code BigDecimal},
	 * which every push would otherwise pay.
	 */
	private static Instant aliveSince(Instant now, JobSchedule schedule) {
		Duration silence = schedule.progressInterval().multipliedBy(3);
		return now.minus((silence.compareTo(MIN_SILENCE) < 0) ? MIN_SILENCE : silence);
	}

	private List<JobExecution> listedRunning(Instant aliveSince) {
		List<JobExecution> listed = new ArrayList<>();
		for (JobExecution execution : this.repository.running(this.group, this.jobName)) {
			if (!isInHand(execution) && !endedRecently(execution.getId())
					&& !lastSaved(execution).isBefore(aliveSince)) {
				listed.add(execution);
			}
		}
		return listed;
	}

	/** Looks the given executions up again and keeps those still running and alive. */
	private List<JobExecution> stillRunning(List<JobExecution> executions, Instant aliveSince) {
		List<JobExecution> running = new ArrayList<>();
		for (JobExecution execution : executions) {
			JobExecution stored = this.repository.byId(execution.getId());
			if (stored != null && stored.getStatus().isRunning() && !lastSaved(stored).isBefore(aliveSince)) {
				running.add(stored);
			}
		}
		return running;
	}

	/** Whether an execution read from the repository is one this JVM runs and has not taken in. */
	private boolean isInHand(JobExecution execution) {
		for (TrackedExecution tracked : this.executions) {
			if (tracked.isSameAs(execution)) {
				return true;
			}
		}
		return false;
	}

	/** When the repository last saved the execution or one of its steps. */
	private static Instant lastSaved(JobExecution execution) {
		LocalDateTime last = execution.getLastUpdated();
		if (last == null) {
			last = execution.getStartTime();
		}
		for (StepExecution step : execution.getStepExecutions()) {
			LocalDateTime stepSaved = step.getLastUpdated();
			if (stepSaved != null && (last == null || stepSaved.isAfter(last))) {
				last = stepSaved;
			}
		}
		return (last != null) ? BatchTimes.toInstant(last) : Instant.EPOCH;
	}

	private static boolean isLater(JobExecution execution, JobExecution than) {
		LocalDateTime start = execution.getStartTime();
		LocalDateTime other = than.getStartTime();
		return start != null && (other == null || !start.isBefore(other));
	}

	/**
	 * An execution's step executions as one push sees them, and its partitions' managers among
	 * them: found once per push, then used for what is read from the repository, the progress and
	 * the steps shown. Most executions have no partitions, and then no map is built.
	 */
	private record Steps(List<StepExecution> all, Map<StepExecution, StepExecution> managers) {

		static Steps of(TrackedExecution tracked) {
			List<StepExecution> all = new ArrayList<>(tracked.execution.getStepExecutions());
			return new Steps(all, Partitions.managers(all));
		}

	}

	/** Whether an execution is one this JVM runs and has not yet taken in: {@link #isInHand}. */
	private final class InHand implements Predicate<JobExecution> {

		@Override
		public boolean test(JobExecution execution) {
			return isInHand(execution);
		}

	}

}
