package io.github.batchpushgateway.testsupport;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Teardown} closes everything, in order, past a resource that fails to close.
 */
class TeardownTests {

	@Test
	void everyResourceIsClosedInOrderPastOneThatFailsAndNullsAreSkipped() {
		List<String> closed = new ArrayList<>();
		IllegalStateException failure = new IllegalStateException("would not stop");

		List<Exception> failures = Teardown.closeAll(() -> closed.add("job"), null, () -> {
			closed.add("prometheus");
			throw failure;
		}, () -> closed.add("gateway"));

		assertThat(closed).containsExactly("job", "prometheus", "gateway");
		assertThat(failures).containsExactly(failure);
	}

}
