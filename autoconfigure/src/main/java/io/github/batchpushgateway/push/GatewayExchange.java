package io.github.batchpushgateway.push;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * How {@link PushgatewayHttpClient} sends one request and reads the whole answer, bounded by its
 * read timeout: on the JDK's {@code HttpClient} ({@link JdkClientExchange}) or, for a plain-HTTP
 * gateway without credentials or headers of the application's, on {@code HttpURLConnection}
 * ({@link UrlConnectionExchange}), which a cold process starts far more cheaply.
 */
interface GatewayExchange {

	/**
	 * Sends a request and reads its whole answer, whatever its status.
	 * @param request the request's method, address and headers
	 * @param body the request's body, {@code null} for none; lent for the exchange only
	 * @param length how many of the body's first bytes are sent
	 * @return the answer
	 * @throws IOException when no whole answer came within the read timeout, or the connection failed
	 */
	Answer send(GatewayRequest request, byte @Nullable [] body, int length) throws IOException;

	/**
	 * An answer.
	 * @param status its HTTP status
	 * @param body its body, empty when it had none
	 */
	record Answer(int status, byte[] body) {
	}

}
