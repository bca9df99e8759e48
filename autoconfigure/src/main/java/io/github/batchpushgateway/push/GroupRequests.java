package io.github.batchpushgateway.push;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.util.Assert;

/**
 * The push request of each group to one gateway ({@code PUT} to the group's path), made at the
 * group's first push and kept: a group's path, address and headers do not change between its
 * pushes. At most {@link #KEPT} groups are kept, so that a job whose grouping values change at
 * every run cannot grow memory; the requests of groups beyond them are made at each push, as
 * they were before any was kept.
 */
final class GroupRequests {

	/** Groups whose request is kept: far more than a JVM pushes with the default bounds. */
	static final int KEPT = 1024;

	private final URI base;

	private final Map<String, String> clientHeaders;

	private final Map<String, String> pushHeaders;

	private final Map<PushGroup, GatewayRequest> requests = new ConcurrentHashMap<>();

	/**
	 * Creates the requests of one gateway.
	 * @param base the gateway's URL, without a trailing slash
	 * @param clientHeaders the headers of every request of the client (credentials, an application's)
	 * @param pushHeaders the pushes' own headers (the payload's content type)
	 */
	GroupRequests(URI base, Map<String, String> clientHeaders, Map<String, String> pushHeaders) {
		Assert.notNull(base, "'base' must not be null");
		Assert.notNull(clientHeaders, "'clientHeaders' must not be null");
		Assert.notNull(pushHeaders, "'pushHeaders' must not be null");
		this.base = base;
		this.clientHeaders = Map.copyOf(clientHeaders);
		this.pushHeaders = Map.copyOf(pushHeaders);
	}

	/**
	 * Returns the push request of a group.
	 * @param group the group
	 * @return its request
	 */
	GatewayRequest pushOf(PushGroup group) {
		GatewayRequest request = this.requests.get(group);
		if (request != null) {
			return request;
		}
		request = GatewayRequest.of("PUT", URI.create(this.base + GroupPath.of(group)), this.clientHeaders,
				this.pushHeaders);
		if (this.requests.size() < KEPT) {
			this.requests.putIfAbsent(group, request);
		}
		return request;
	}

}
