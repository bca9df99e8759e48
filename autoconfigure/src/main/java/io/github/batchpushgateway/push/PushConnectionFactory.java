package io.github.batchpushgateway.push;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

import io.prometheus.metrics.exporter.pushgateway.HttpConnectionFactory;
import org.jspecify.annotations.Nullable;

/**
 * Opens the connections of {@link io.prometheus.metrics.exporter.pushgateway.PushGateway}: with
 * the socket factory of an SSL bundle for HTTPS, and with spaces in the group's path kept as
 * spaces.
 *
 * <p>The client encodes path segments with {@code URLEncoder}, which writes a space as {@code +}.
 * In a URL path {@code +} is a literal plus, so the gateway would file {@code my job} under
 * {@code my+job}. Every literal {@code +} has already been encoded as {@code %2B} at that point,
 * so each remaining {@code +} stands for a space and becomes {@code %20}.
 */
public final class PushConnectionFactory implements HttpConnectionFactory {

	private final @Nullable SSLSocketFactory socketFactory;

	/**
	 * Creates a factory.
	 * @param socketFactory socket factory for HTTPS connections, {@code null} for the JVM's default
	 */
	public PushConnectionFactory(@Nullable SSLSocketFactory socketFactory) {
		this.socketFactory = socketFactory;
	}

	@Override
	public HttpURLConnection create(URL url) throws IOException {
		HttpURLConnection connection = (HttpURLConnection) withSpacesInPath(url).openConnection();
		if (this.socketFactory != null && connection instanceof HttpsURLConnection https) {
			https.setSSLSocketFactory(this.socketFactory);
		}
		return connection;
	}

	static URL withSpacesInPath(URL url) throws IOException {
		String path = url.getPath();
		if (path == null || path.indexOf('+') < 0) {
			return url;
		}
		try {
			URI uri = url.toURI();
			String fixed = uri.getScheme() + "://" + uri.getRawAuthority() + path.replace("+", "%20");
			return URI.create(fixed).toURL();
		}
		catch (URISyntaxException ex) {
			throw new IOException("Invalid Pushgateway URL", ex);
		}
	}

}
