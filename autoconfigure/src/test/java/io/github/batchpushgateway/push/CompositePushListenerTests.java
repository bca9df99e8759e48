package io.github.batchpushgateway.push;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.InOrder;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

/**
 * Tests for {@link CompositePushListener}.
 */
@ExtendWith(OutputCaptureExtension.class)
class CompositePushListenerTests {

	private static final PushGroup GROUP = PushGroup.of("job");

	private final PushListener first = mock(PushListener.class);

	private final PushListener second = mock(PushListener.class);

	@Test
	void successIsToldToEveryListenerInOrder() {
		new CompositePushListener(List.of(this.first, this.second)).pushSucceeded(GROUP, Duration.ofMillis(3));

		InOrder order = inOrder(this.first, this.second);
		order.verify(this.first).pushSucceeded(GROUP, Duration.ofMillis(3));
		order.verify(this.second).pushSucceeded(GROUP, Duration.ofMillis(3));
	}

	@Test
	void failureIsToldToEveryListenerInOrder() {
		IOException failure = new IOException("down");

		new CompositePushListener(List.of(this.first, this.second)).pushFailed(GROUP, failure, Duration.ofMillis(3));

		InOrder order = inOrder(this.first, this.second);
		order.verify(this.first).pushFailed(GROUP, failure, Duration.ofMillis(3));
		order.verify(this.second).pushFailed(GROUP, failure, Duration.ofMillis(3));
	}

	@Test
	void aThrowingListenerDoesNotStopTheOthersOnSuccessAndIsLogged(CapturedOutput output) {
		// given
		willThrow(new IllegalStateException("broken listener")).given(this.first).pushSucceeded(any(), any());
		// when
		new CompositePushListener(List.of(this.first, this.second)).pushSucceeded(GROUP, Duration.ZERO);
		// then
		verify(this.second).pushSucceeded(GROUP, Duration.ZERO);
		assertThat(output).contains("Push listener").contains("failed").contains("broken listener");
	}

	@Test
	void aThrowingListenerDoesNotStopTheOthersOnFailure() {
		// given
		IOException failure = new IOException("down");
		willThrow(new IllegalStateException("broken listener")).given(this.first).pushFailed(any(), any(), any());
		// when
		new CompositePushListener(List.of(this.first, this.second)).pushFailed(GROUP, failure, Duration.ZERO);
		// then
		verify(this.second).pushFailed(GROUP, failure, Duration.ZERO);
	}

}
