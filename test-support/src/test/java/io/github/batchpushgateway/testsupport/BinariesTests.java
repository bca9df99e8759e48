package io.github.batchpushgateway.testsupport;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class BinariesTests {

	@Test
	void findsAnInstalledBinary() {
		// when
		var pushgateway = Binaries.require("prometheus-pushgateway");

		// then
		assertThat(pushgateway.getFileName()).hasToString("prometheus-pushgateway");
		assertThat(Files.isExecutable(pushgateway)).isTrue();
	}

	@Test
	void missingBinaryFailsWithTheSetupCommand() {
		// given
		String missing = "prometheus-pushgateway-that-does-not-exist";

		// when / then
		assertThatIllegalStateException().isThrownBy(() -> Binaries.require(missing))
			.withMessageStartingWith(missing + " not found")
			.withMessageContaining("./scripts/setup")
			.withMessageContaining("prometheus-pushgateway prometheus prometheus-alertmanager prometheus-node-exporter");
	}

}
