package io.github.batchpushgateway.testsupport;

import java.util.ArrayList;
import java.util.List;

/**
 * Stops what a test class started, all of it: servers and processes are closed in the given
 * order, and one that fails to close does not keep the others running on the machine.
 */
public final class Teardown {

	private Teardown() {
	}

	/**
	 * Closes every given resource that is not {@code null}, in order, whatever the others do.
	 * A failure to close is not rethrown: the test's outcome is decided by then, and the
	 * resources that follow must still be stopped.
	 * @param resources what to close, {@code null} for what was never started
	 * @return the failures, in order, for a caller that wants to report them
	 */
	public static List<Exception> closeAll(AutoCloseable... resources) {
		List<Exception> failures = new ArrayList<>();
		for (AutoCloseable resource : resources) {
			if (resource != null) {
				try {
					resource.close();
				}
				catch (Exception ex) {
					failures.add(ex);
				}
			}
		}
		return failures;
	}

}
