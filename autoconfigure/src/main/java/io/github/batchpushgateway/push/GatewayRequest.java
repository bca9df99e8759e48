package io.github.batchpushgateway.push;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.util.Assert;

/**
 * What a request to the gateway is, but for its body: method, address and headers. Made once
 * per group and target ({@link GroupRequests}) or per client, never per push: parsing the
 * address, finding its URL handler and merging the headers took a few dozen microseconds of
 * every push's way to the gateway, on the path that a job's end waits on. Not a record: a
 * {@link URL}'s {@code equals} and {@code hashCode} resolve its host, and requests are never
 * compared.
 */
final class GatewayRequest {

	private final String method;

	private final URI uri;

	private final URL url;

	private final Map<String, String> headers;

	private GatewayRequest(String method, URI uri, URL url, Map<String, String> headers) {
		this.method = method;
		this.uri = uri;
		this.url = url;
		this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
	}

	/**
	 * Makes a request.
	 * @param method the HTTP method
	 * @param uri where it goes
	 * @param clientHeaders the headers of every request of the client (credentials, an
	 * application's)
	 * @param ownHeaders this request's own headers, which replace a client's header of the same name
	 * @return the request
	 */
	static GatewayRequest of(String method, URI uri, Map<String, String> clientHeaders,
			Map<String, String> ownHeaders) {
		Assert.hasText(method, "'method' must not be empty");
		Assert.notNull(uri, "'uri' must not be null");
		Map<String, String> headers = new LinkedHashMap<>(clientHeaders);
		headers.putAll(ownHeaders);
		try {
			return new GatewayRequest(method, uri, uri.toURL(), headers);
		}
		catch (MalformedURLException | IllegalArgumentException ex) {
			throw new IllegalArgumentException("Not a URL: " + uri, ex);
		}
	}

	/**
	 * Returns the HTTP method.
	 * @return the method
	 */
	String method() {
		return this.method;
	}

	/**
	 * Returns where the request goes, for the JDK's {@code HttpClient}.
	 * @return the address
	 */
	URI uri() {
		return this.uri;
	}

	/**
	 * Returns the same address, for {@code HttpURLConnection}.
	 * @return the address
	 */
	URL url() {
		return this.url;
	}

	/**
	 * Returns the request's headers, the client's first.
	 * @return the headers, unmodifiable
	 */
	Map<String, String> headers() {
		return this.headers;
	}

	@Override
	public String toString() {
		return this.method + " " + this.uri;
	}

}
