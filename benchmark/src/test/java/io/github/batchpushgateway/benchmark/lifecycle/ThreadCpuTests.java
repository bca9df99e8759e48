package io.github.batchpushgateway.benchmark.lifecycle;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ThreadCpu}.
 */
class ThreadCpuTests {

	@Test
	void readsAThreadsNameAndItsUserAndSystemTicks() {
		// a name with spaces and a parenthesis, as the JVM's compiler threads and Linux's cut allow
		String stat = "4242 (C2 CompilerThre) S 1 4240 4240 0 -1 4194368 7 0 0 0 311 29 0 0 20 0 1 0 5 0 0";

		ThreadCpu.Reading reading = ThreadCpu.parse(stat);

		assertThat(reading.kind()).isEqualTo("JIT C2");
		assertThat(reading.ticks()).isEqualTo(340);
	}

	@Test
	void tellsTheKindsOfAJvmsThreadsByTheirLinuxNames() {
		assertThat(ThreadCpu.kind("java")).isEqualTo("main");
		assertThat(ThreadCpu.kind("C1 CompilerThre")).isEqualTo("JIT C1");
		assertThat(ThreadCpu.kind("GC Thread#1")).isEqualTo("GC");
		assertThat(ThreadCpu.kind("G1 Conc#0")).isEqualTo("GC");
		assertThat(ThreadCpu.kind("batch-pushgatew")).isEqualTo("starter");
		assertThat(ThreadCpu.kind("HikariPool-1:co")).isEqualTo("other");
	}

	@Test
	void followsTheLaunchersChildUntilTheLauncherExits() throws Exception {
		// given a launcher whose child works for a while, as bash runs the benchmark's JVMs
		Process launcher = new ProcessBuilder(List.of("bash", "-c", "\"$@\"; true", "bash", "bash", "-c",
				"i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done"))
			.start();

		// when
		Map<String, Long> byKind = ThreadCpu.follow(launcher).byKind();

		// then its CPU is read, under the kind its name gives
		assertThat(launcher.isAlive()).isFalse();
		assertThat(byKind).containsOnlyKeys(ThreadCpu.KINDS);
		assertThat(byKind.get("other")).isPositive();
		assertThat(byKind.get("main")).isZero();
	}

}
