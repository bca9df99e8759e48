package io.github.batchpushgateway.push;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

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
	 * @param method the HTTP method
	 * @param uri where to send it
	 * @param headers the request's headers
	 * @param body the request's body, {@code null} for none
	 * @return the answer
	 * @throws IOException when no whole answer came within the read timeout, or the connection failed
	 */
	Answer send(String method, URI uri, Map<String, String> headers, byte @Nullable [] body) throws IOException;

	/**
	 * An answer.
	 * @param status its HTTP status
	 * @param body its body, empty when it had none
	 */
	record Answer(int status, byte[] body) {
	}

}
