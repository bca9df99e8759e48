package io.github.batchpushgateway.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real {@code prometheus-alertmanager} on a free loopback port, without clustering,
 * with its storage in its own temporary directory.
 */
public final class AlertmanagerServer extends LoopbackServer {

	private AlertmanagerServer(Started started) {
		super(started);
	}

	/**
	 * Start Alertmanager with a configuration file.
	 * @param configFile the {@code alertmanager.yml}
	 * @return the ready server
	 */
	public static AlertmanagerServer start(Path configFile) {
		Path config = configFile.toAbsolutePath();
		Definition definition = Definition.readyOn200("prometheus-alertmanager", "alertmanager.log",
				Duration.ofSeconds(20),
				(binary, directory, port) -> List.of(binary.toString(), "--config.file=" + config,
						"--storage.path=" + directory.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
						// Empty disables the gossip cluster, which would listen on 0.0.0.0:9094.
						"--cluster.listen-address="));
		return launch(definition, TempDirectories.create("alertmanager"), AlertmanagerServer::new);
	}

}
