package io.github.batchpushgateway.batch;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Predicate;

import io.github.batchpushgateway.metrics.BatchTimes;
import io.github.batchpushgateway.metrics.JobHistory.FinishedRun;
import io.github.batchpushgateway.metrics.Partitions;
import io.github.batchpushgateway.metrics.StepSample;
import io.github.batchpushgateway.push.PushGroup;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

/**
 * One execution this JVM runs, from its start until the sending side has taken in its end. The
 * job's thread only sets flags here; everything else is read and written on the sending side,
 * except the shutdown's stop requests ({@link #ifNotEnded}), which the recording of the end waits
 * for.
 */
final class TrackedExecution {

	/** Exit code of an execution still running when the application shut down. */
	static final String INTERRUPTED = "INTERRUPTED";

	final JobExecution execution;

	final PushGroup group;

	/**
	 * Set by the job's thread at afterJob, or by the fallbacks when afterJob never comes. Written
	 * under this object's lock, see {@link #ifNotEnded}; read without it.
	 */
	private volatile boolean ended;

	/**
	 * How an execution that never reached afterJob was concluded (at shutdown, or because its end
	 * was not saved), {@code null} otherwise.
	 */
	private volatile @Nullable FinishedRun concluded;

	/** How many heartbeats saw the execution ended without afterJob. Heartbeat's alone. */
	int seenEndedWithoutAfterJob;

	/** The step executions this JVM's step listener saw start. Added to by job threads. */
	@SuppressWarnings("rawtypes")
	private static final AtomicReferenceFieldUpdater<TrackedExecution, Set> STARTED_HERE = AtomicReferenceFieldUpdater
		.newUpdater(TrackedExecution.class, Set.class, "startedHere");

	/**
	 * The partitions this JVM started; created at the first, so that a job without partitions
	 * allocates nothing for it on its thread.
	 */
	private volatile @Nullable Set<StepExecution> startedHere;

	/** What the sending side noted at its pushes, {@code null} before the first. */
	private @Nullable SenderNotes notes;

	TrackedExecution(JobExecution execution, PushGroup group) {
		this.execution = execution;
		this.group = group;
	}

	/** Set once the sending side took the execution's run into its group's history. */
	private boolean taken;

	/**
	 * Returns what the sending side noted of the execution, created at its first look. Sending
	 * side's alone, under the lock of the execution's group.
	 * @return the notes
	 */
	SenderNotes notes() {
		SenderNotes notes = this.notes;
		if (notes == null) {
			notes = new SenderNotes();
			this.notes = notes;
		}
		return notes;
	}

	/** The step executions run elsewhere as last read, by id; none before a reading. */
	Map<Long, StepSample> readings() {
		SenderNotes notes = this.notes;
		return (notes != null) ? notes.readings : Map.of();
	}

	/**
	 * Records the end; waits while {@link #ifNotEnded} runs an action on the execution.
	 * @return {@code false} when it comes too late: the sending side already took this execution
	 * in as concluded without afterJob (see {@link #take}), so the end must be tracked anew
	 */
	synchronized boolean end() {
		this.ended = true;
		return !this.taken;
	}

	/**
	 * Takes the execution's run in, once it is over: from here on an end recorded on this object
	 * is not seen, so {@link #end} says so. Atomic with it, so that the run taken in is either the
	 * one afterJob recorded or a conclusion that a later afterJob can replace.
	 * @return the run to add to the history, {@code null} if it has none
	 */
	synchronized @Nullable FinishedRun take() {
		this.taken = true;
		return finishedRun();
	}

	/**
	 * Runs an action on the execution unless its end has been recorded, and keeps the end from
	 * being recorded meanwhile. For a stop request: it checks that the execution runs, then saves
	 * it STOPPING on the object the job's thread works on. Without the lock that thread could end
	 * the execution and run afterJob in between (the run pushed as COMPLETED), and the request
	 * would then have the repository turn the saved COMPLETED into STOPPED and leave the object
	 * STOPPING. With it the job's afterJob waits at most for one save of the execution.
	 * @param action what to do with the execution, returning whether it did anything
	 * @return what the action returned, {@code false} when the end was recorded first
	 */
	synchronized boolean ifNotEnded(Predicate<JobExecution> action) {
		return !this.ended && action.test(this.execution);
	}

	/**
	 * Concludes an execution that shutdown could not wait for any longer: as its job repository
	 * records it when the repository shows it ended (a graceful stop completed there), otherwise
	 * as interrupted. Not from the execution object itself: a stop request may mark it STOPPED
	 * while its step goes on and the repository still says STARTED.
	 * @param stored the execution as the job repository holds it, {@code null} when unknown
	 * @param at now
	 * @return whether it was concluded as the repository records it, not as interrupted
	 */
	boolean conclude(@Nullable JobExecution stored, Instant at) {
		FinishedRun run = (stored != null) ? FinishedRun.of(stored) : null;
		boolean asRecorded = run != null;
		this.concluded = asRecorded ? run : unrecordedRun(at, BatchStatus.UNKNOWN, INTERRUPTED);
		return asRecorded;
	}

	/** A run the repository holds no end of, from the execution's start (or {@code end}) to {@code end}. */
	private FinishedRun unrecordedRun(Instant end, BatchStatus status, String exitCode) {
		Instant start = (this.execution.getStartTime() != null) ? BatchTimes.toInstant(this.execution.getStartTime())
				: end;
		return new FinishedRun(start, end, status, exitCode, this.execution);
	}

	/**
	 * Ends an execution whose afterJob Spring Batch skipped ({@link SkippedAfterJob}), as its job
	 * repository records the end. Spring Batch skips afterJob when saving the job's end fails: an
	 * end the repository does not show was never recorded. Its outcome in memory (COMPLETED, say)
	 * is then known to nobody else, and the repository still holds the execution as running, which
	 * blocks a restart until someone recovers it. It is concluded with status and exit code
	 * {@code UNKNOWN}, as Spring Batch marks a step whose save failed, at the end it had in memory:
	 * never with a last success the repository does not hold. A FAILED one stays FAILED, with its
	 * exit code: a failure is one, recorded or not.
	 * @param stored the repository's copy, {@code null} when it holds none or could not be read
	 * @return whether it ended as the repository records it
	 */
	boolean endWithoutAfterJob(@Nullable JobExecution stored) {
		if (stored != null && FinishedRun.of(stored) != null) {
			end();
			return true;
		}
		LocalDateTime end = this.execution.getEndTime();
		Instant at = (end != null) ? BatchTimes.toInstant(end) : Instant.now();
		boolean failed = this.execution.getStatus() == BatchStatus.FAILED;
		this.concluded = failed ? unrecordedRun(at, BatchStatus.FAILED, this.execution.getExitStatus().getExitCode())
				: unrecordedRun(at, BatchStatus.UNKNOWN, ExitStatus.UNKNOWN.getExitCode());
		return false;
	}

	/** Whether the execution ended, or was concluded at shutdown. */
	boolean isOver() {
		return this.ended || this.concluded != null;
	}

	/**
	 * Whether Spring Batch finished the execution but has not (yet) called afterJob. One left
	 * STOPPING with an end time finished too, as {@link FinishedRun#statusOf} says.
	 */
	boolean endedWithoutAfterJob() {
		return !this.ended && this.execution.getEndTime() != null
				&& !FinishedRun.statusOf(this.execution).isRunning();
	}

	/** The run to add to the history once the execution is over, {@code null} if it has none. */
	@Nullable FinishedRun finishedRun() {
		FinishedRun concluded = this.concluded;
		if (concluded != null && !this.ended) {
			return concluded;
		}
		return FinishedRun.of(this.execution);
	}

	/**
	 * Whether an execution read elsewhere (from the job repository) is this one.
	 * @param read an execution read from the repository
	 * @return whether it is this execution
	 */
	boolean isSameAs(JobExecution read) {
		return isSame(read, this.execution);
	}

	/**
	 * The one rule for "the same execution": the same object, or the same id, job instance and
	 * start. Ids alone are not enough: the resourceless job repository gives every execution the
	 * same id and returns its latest, which may be another job's run. Starts are compared to the
	 * second, as some databases round the times they store.
	 * @param one an execution
	 * @param other another
	 * @return whether both are the same execution
	 */
	static boolean isSame(JobExecution one, JobExecution other) {
		if (one == other) {
			return true;
		}
		if (one.getId() != other.getId()) {
			return false;
		}
		LocalDateTime start = one.getStartTime();
		LocalDateTime otherStart = other.getStartTime();
		return one.getJobInstance().getJobName().equals(other.getJobInstance().getJobName())
				&& one.getJobInstance().getInstanceId() == other.getJobInstance().getInstanceId()
				&& (start == null || otherStart == null
						|| Duration.between(start, otherStart).abs().compareTo(Duration.ofSeconds(1)) < 0);
	}

	/**
	 * A job thread: this JVM runs the step.
	 * @param step the step execution that starts
	 */
	void stepStarted(StepExecution step) {
		if (!Partitions.isPartitionName(step)) {
			// Only partitions can run elsewhere: the other steps of a job run in its own JVM.
			return;
		}
		Set<StepExecution> started = this.startedHere;
		if (started == null) {
			STARTED_HERE.compareAndSet(this, null, ConcurrentHashMap.newKeySet());
			started = this.startedHere;
		}
		started.add(step);
	}

	/**
	 * Returns the partitions of the execution that this JVM does not run (remote partitions, or
	 * partitions of a worker step without the starter's listener): this JVM's copies of them are
	 * never updated, the job repository holds their truth.
	 * @return those partitions, none for most jobs
	 */
	List<StepExecution> stepsRunElsewhere() {
		return stepsRunElsewhere(Partitions.managers(new ArrayList<>(this.execution.getStepExecutions())));
	}

	/**
	 * Returns the partitions of the execution that this JVM does not run, among those found.
	 * @param partitions each partition of the execution with its manager, as
	 * {@link Partitions#managers} finds them
	 * @return those partitions, none for most jobs
	 */
	List<StepExecution> stepsRunElsewhere(Map<StepExecution, StepExecution> partitions) {
		if (partitions.isEmpty()) {
			return List.of();
		}
		Set<StepExecution> started = this.startedHere;
		List<StepExecution> elsewhere = new ArrayList<>();
		for (StepExecution partition : partitions.keySet()) {
			if (started == null || !started.contains(partition)) {
				elsewhere.add(partition);
			}
		}
		return elsewhere;
	}

	/**
	 * Whether a step run elsewhere has not finished at the last reading (or was never read).
	 * @param elsewhere the steps run elsewhere
	 * @return whether they need reading
	 */
	boolean awaitsStepsRunElsewhere(List<StepExecution> elsewhere) {
		for (StepExecution step : elsewhere) {
			StepSample read = readings().get(step.getId());
			if (read == null || read.status().isRunning()) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A number that changes whenever a step starts, ends or moves any of its counts, in this JVM
	 * or, as last read, in another.
	 */
	long progress() {
		return progress(this.execution.getStepExecutions());
	}

	/**
	 * The same number, from a copy of the execution's steps taken for this push.
	 * @param steps the execution's step executions
	 * @return the fingerprint
	 */
	long progress(Collection<StepExecution> steps) {
		Map<Long, StepSample> readings = readings();
		long progress = 17;
		for (StepExecution execution : steps) {
			StepSample read = readings.get(execution.getId());
			// A step this JVM runs is read as it is: no sample built for it at every push.
			progress = 31 * progress + execution.getId();
			if (read != null) {
				progress = 31 * progress + read.status().ordinal();
				progress = 31 * progress + read.read() + read.written() + read.filtered() + read.readSkips()
						+ read.processSkips() + read.writeSkips() + read.commits() + read.rollbacks();
			}
			else {
				progress = 31 * progress + execution.getStatus().ordinal();
				progress = 31 * progress + execution.getReadCount() + execution.getWriteCount()
						+ execution.getFilterCount() + execution.getReadSkipCount() + execution.getProcessSkipCount()
						+ execution.getWriteSkipCount() + execution.getCommitCount() + execution.getRollbackCount();
			}
		}
		return progress;
	}

	/**
	 * What the sending side notes of an execution from push to push. Apart from the execution's
	 * own object, so that a job's start allocates none of it on the job's thread: it is created
	 * on the sending side, at the execution's first push.
	 */
	static final class SenderNotes {

		/** Fingerprint of the steps' counts at the last look. */
		long progressFingerprint = Long.MIN_VALUE;

		/** The step executions run elsewhere as the job repository held them at the last reading, by id. */
		Map<Long, StepSample> readings = Map.of();

		/** When the steps run elsewhere were last read, {@code null} if never. */
		@Nullable Instant readAt;

		/** How many readings were made since the execution was taken in. */
		int readingsAfterEnd;

	}

}
