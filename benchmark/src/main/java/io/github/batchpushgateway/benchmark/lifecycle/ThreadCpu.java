package io.github.batchpushgateway.benchmark.lifecycle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The CPU time of a running JVM's threads by kind (its main thread, the JIT's C2 and C1 compiler
 * threads, the garbage collector's, the starter's sending threads, the rest), read from Linux's
 * {@code /proc/<pid>/task/<tid>/stat} every 20 ms until the process exits. The process's own CPU
 * time mixes them; apart, they say whether a difference is work the starter does or work the JVM
 * does because of it (compiling, collecting). A thread's last reading counts, so up to one
 * interval of each thread's time is not seen, alike in every process. Without {@code /proc}
 * nothing is read and every kind reads zero.
 */
final class ThreadCpu {

	/** The kinds, in the order the benchmark prints them. */
	static final String[] KINDS = { "main", "JIT C2", "JIT C1", "GC", "starter", "other" };

	private static final long POLL_MILLIS = 20;

	/** Clock ticks per second of {@code /proc}'s times: 100 on Linux, whatever the kernel's HZ. */
	private static final long TICKS_PER_SECOND = 100;

	/** The last reading of each thread: its kind and its CPU time in ticks. */
	private final Map<String, Reading> threads = new HashMap<>();

	private final Thread poller;

	private ThreadCpu(Process launcher) {
		this.poller = new Thread(() -> poll(launcher), "thread-cpu");
		this.poller.setDaemon(true);
	}

	/**
	 * Starts reading, on a thread of its own, the threads of the JVM that {@code launcher} runs
	 * (its child: the launcher is a shell) until the launcher exits.
	 * @param launcher the process started
	 * @return the reading, whose {@link #byKind()} waits for its end
	 */
	static ThreadCpu follow(Process launcher) {
		ThreadCpu cpu = new ThreadCpu(launcher);
		cpu.poller.start();
		return cpu;
	}

	private void poll(Process launcher) {
		Optional<ProcessHandle> jvm = Optional.empty();
		try {
			while (launcher.isAlive()) {
				if (jvm.isEmpty()) {
					jvm = launcher.toHandle().children().findFirst();
				}
				jvm.ifPresent((process) -> read(process.pid()));
				Thread.sleep(POLL_MILLIS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void read(long pid) {
		Path tasks = Path.of("/proc", Long.toString(pid), "task");
		try (Stream<Path> each = Files.list(tasks)) {
			each.forEach((task) -> {
				try {
					String stat = Files.readString(task.resolve("stat"));
					this.threads.put(task.getFileName().toString(), parse(stat));
				}
				catch (IOException ex) {
					// The thread ended between the listing and the reading: its last reading stays.
				}
			});
		}
		catch (IOException ex) {
			// The process has ended, or there is no /proc: nothing more to read.
		}
	}

	/**
	 * Waits until the launcher has exited and returns what its JVM's threads used.
	 * @return the CPU time by kind, in nanoseconds
	 */
	Map<String, Long> byKind() throws InterruptedException {
		this.poller.join();
		Map<String, Long> byKind = new LinkedHashMap<>();
		for (String kind : KINDS) {
			byKind.put(kind, 0L);
		}
		for (Reading reading : this.threads.values()) {
			byKind.merge(reading.kind(), reading.ticks() * 1_000_000_000L / TICKS_PER_SECOND, Long::sum);
		}
		return byKind;
	}

	/**
	 * Reads one line of {@code /proc/<pid>/task/<tid>/stat}: the thread's name in parentheses
	 * (which may hold spaces), then its fields, of which the 14th and 15th of the line are its
	 * user and system time.
	 */
	static Reading parse(String stat) {
		String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
		// fields[0] is the line's third field (the state): user and system time are its 12th and 13th.
		return new Reading(kind(name), Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
	}

	/**
	 * The kind of a thread by the name Linux shows, the JVM's name cut to 15 characters; the
	 * launcher's main thread is named after the launcher ({@code java}).
	 */
	static String kind(String name) {
		if (name.equals("java") || name.equals("main")) {
			return "main";
		}
		if (name.startsWith("C2 CompilerThre")) {
			return "JIT C2";
		}
		if (name.startsWith("C1 CompilerThre")) {
			return "JIT C1";
		}
		if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
			return "GC";
		}
		if (name.startsWith("batch-pushgatew")) {
			return "starter";
		}
		return "other";
	}

	/** A thread's kind and CPU time in clock ticks. */
	record Reading(String kind, long ticks) {
	}

}
