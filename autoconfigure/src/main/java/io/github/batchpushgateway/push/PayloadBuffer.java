package io.github.batchpushgateway.push;

import java.io.ByteArrayOutputStream;

/**
 * A push's body, written by the exposition format's writer and sent from where it was written:
 * a {@link ByteArrayOutputStream} whose bytes are lent to the exchange rather than copied out
 * ({@link #toByteArray()} copies the whole payload once more per push). One is kept per client
 * between pushes ({@link #keep}), so a push does not grow a new one from 32 bytes, copying the
 * payload at each doubling, to some kilobytes again.
 */
final class PayloadBuffer extends ByteArrayOutputStream {

	/** Larger buffers are left to the collector after their push rather than held for the next. */
	static final int MAX_KEPT = 1024 * 1024;

	PayloadBuffer() {
		super(8192);
	}

	/**
	 * Returns the written bytes, not copied: the first {@link #size()} of them are the payload,
	 * valid until the buffer is written again.
	 * @return the buffer's array
	 */
	byte[] bytes() {
		return this.buf;
	}

	/**
	 * Returns whether the buffer is worth keeping for the next push.
	 * @return {@code true} when it holds at most {@link #MAX_KEPT} bytes
	 */
	boolean keep() {
		return this.buf.length <= MAX_KEPT;
	}

}
