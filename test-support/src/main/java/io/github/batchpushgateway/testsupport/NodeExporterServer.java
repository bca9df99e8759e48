package io.github.batchpushgateway.testsupport;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real {@code prometheus-node-exporter} on a free loopback port with only its textfile
 * collector, reading the given directory, as a machine's node exporter reads the files of its
 * cron jobs.
 */
public final class NodeExporterServer extends LoopbackServer {

	private NodeExporterServer(Started started) {
		super(started);
	}

	/**
	 * Start node exporter with the textfile collector on a directory.
	 * @param textfileDirectory the directory of {@code .prom} files
	 * @return the ready server
	 */
	public static NodeExporterServer start(Path textfileDirectory) {
		Path directory = textfileDirectory.toAbsolutePath();
		Definition definition = Definition.readyOn200("prometheus-node-exporter", "node-exporter.log",
				Duration.ofSeconds(20),
				(binary, workDirectory, port) -> List.of(binary.toString(), "--web.listen-address=127.0.0.1:" + port,
						"--collector.disable-defaults", "--collector.textfile",
						"--collector.textfile.directory=" + directory));
		return launch(definition, TempDirectories.create("node-exporter"), NodeExporterServer::new);
	}

	/**
	 * Return node exporter's {@code /metrics} page, parsed.
	 * @return the scraped metrics, the textfile collector's among them
	 */
	public ScrapedMetrics metrics() {
		return ScrapedMetrics.parse(Http.get(URI.create(url() + "/metrics")));
	}

}
