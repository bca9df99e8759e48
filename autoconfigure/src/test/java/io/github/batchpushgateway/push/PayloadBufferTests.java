package io.github.batchpushgateway.push;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PayloadBuffer}.
 */
class PayloadBufferTests {

	@Test
	void itsBytesAreLentNotCopiedAndTheFirstSizeOfThemAreThePayload() {
		PayloadBuffer buffer = new PayloadBuffer();
		buffer.writeBytes("a_sample 1\n".getBytes(StandardCharsets.UTF_8));

		byte[] bytes = buffer.bytes();

		assertThat(buffer.bytes()).isSameAs(bytes);
		assertThat(new String(bytes, 0, buffer.size(), StandardCharsets.UTF_8)).isEqualTo("a_sample 1\n");
		buffer.reset();
		buffer.writeBytes("b\n".getBytes(StandardCharsets.UTF_8));
		assertThat(buffer.bytes()).isSameAs(bytes);
		assertThat(new String(bytes, 0, buffer.size(), StandardCharsets.UTF_8)).isEqualTo("b\n");
	}

	@Test
	void itIsKeptForTheNextPushUpToItsLimitOnly() {
		PayloadBuffer buffer = new PayloadBuffer();
		assertThat(buffer.keep()).isTrue();

		buffer.write(new byte[PayloadBuffer.MAX_KEPT + 1], 0, PayloadBuffer.MAX_KEPT + 1);

		assertThat(buffer.keep()).isFalse();
	}

}
