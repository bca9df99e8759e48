package io.github.batchpushgateway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Plain HTTP calls to the servers started by this module, all on the loopback interface.
 */
final class Http {

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

	private static final HttpClient client = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(2))
		.version(HttpClient.Version.HTTP_1_1)
		.build();

	private Http() {
	}

	static HttpClient client() {
		return client;
	}

	/**
	 * GET a URI and return the body, failing unless the status is 2xx.
	 */
	static String get(URI uri) {
		return get(client, uri, null);
	}

	static String get(HttpClient client, URI uri, String authorizationHeader) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET();
		if (authorizationHeader != null) {
			request.header("Authorization", authorizationHeader);
		}
		return send(client, request.build());
	}

	/**
	 * POST an empty body and return the response body, failing unless the status is
	 * 2xx.
	 */
	static String post(URI uri) {
		return send(client,
				HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).POST(HttpRequest.BodyPublishers.noBody()).build());
	}

	private static String send(HttpClient client, HttpRequest request) {
		try {
			HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() / 100 != 2) {
				throw new IllegalStateException(request.method() + " " + request.uri() + " answered HTTP "
						+ response.statusCode() + ": " + response.body());
			}
			return response.body();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted during " + request.method() + " " + request.uri(), ex);
		}
	}

}
