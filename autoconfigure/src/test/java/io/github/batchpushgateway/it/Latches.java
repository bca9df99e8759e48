package io.github.batchpushgateway.it;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Named latches that hold runs of {@code waitJob} until a test opens them, so a test can hold
 * several executions of one job at once and end them in the order it wants.
 */
final class Latches {

	private static final Map<String, CountDownLatch> arrived = new ConcurrentHashMap<>();

	private static final Map<String, CountDownLatch> open = new ConcurrentHashMap<>();

	private Latches() {
	}

	static void await(String name) throws InterruptedException {
		arrived(name).countDown();
		if (!gate(name).await(60, TimeUnit.SECONDS)) {
			throw new IllegalStateException("Latch " + name + " was never opened");
		}
	}

	static void awaitArrival(String name) throws InterruptedException {
		if (!arrived(name).await(30, TimeUnit.SECONDS)) {
			throw new AssertionError("No run reached latch " + name);
		}
	}

	static void open(String name) {
		gate(name).countDown();
	}

	private static CountDownLatch arrived(String name) {
		return arrived.computeIfAbsent(name, (key) -> new CountDownLatch(1));
	}

	private static CountDownLatch gate(String name) {
		return open.computeIfAbsent(name, (key) -> new CountDownLatch(1));
	}

}
