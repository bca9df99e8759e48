package io.github.batchpushgateway.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Pushes a text payload to a gateway the way any client would: a plain HTTP PUT.
 */
final class Pushes {

	private static final HttpClient client = HttpClient.newHttpClient();

	private Pushes() {
	}

	static int put(PushgatewayServer gateway, String groupPath, String payload) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.url() + "/metrics/" + groupPath))
			.header("Content-Type", "text/plain; version=0.0.4")
			.PUT(HttpRequest.BodyPublishers.ofString(payload))
			.build();
		return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
	}

}
