package io.github.batchpushgateway.push;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MicrometerPushListener}.
 */
class MicrometerPushListenerTests {

	private static final PushGroup GROUP = PushGroup.of("import");

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@Test
	void successIsCountedAndTimedWithItsOutcomeJobAndTarget() {
		// given
		MicrometerPushListener listener = new MicrometerPushListener(() -> this.registry)
			.forTarget("http://gateway:9091");
		// when
		listener.pushSucceeded(GROUP, Duration.ofMillis(40));
		listener.pushSucceeded(GROUP, Duration.ofMillis(60));
		// then
		assertThat(this.registry.get("batch.pushgateway.pushes")
			.tags("outcome", "success", "batch.job", "import", "target", "http://gateway:9091")
			.counter()
			.count()).isEqualTo(2);
		Timer timer = this.registry.get("batch.pushgateway.push.duration")
			.tags("outcome", "success", "target", "http://gateway:9091")
			.timer();
		assertThat(timer.count()).isEqualTo(2);
		assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(100);
		assertThat(this.registry.find("batch.pushgateway.pushes").tag("outcome", "failure").counter()).isNull();
	}

	@Test
	void failureIsCountedAndTimedApartFromSuccess() {
		// given
		MicrometerPushListener listener = new MicrometerPushListener(() -> this.registry).forTarget("t");
		// when
		listener.pushSucceeded(GROUP, Duration.ofMillis(1));
		listener.pushFailed(GROUP, new IOException("down"), Duration.ofMillis(7));
		// then
		assertThat(this.registry.get("batch.pushgateway.pushes")
			.tags("outcome", "failure", "batch.job", "import", "target", "t")
			.counter()
			.count()).isOne();
		assertThat(this.registry.get("batch.pushgateway.pushes").tags("outcome", "success").counter().count())
			.isOne();
		assertThat(this.registry.get("batch.pushgateway.push.duration")
			.tags("outcome", "failure", "target", "t")
			.timer()
			.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(7);
	}

	@Test
	void eachJobHasItsOwnCounter() {
		MicrometerPushListener listener = new MicrometerPushListener(() -> this.registry);

		listener.pushSucceeded(GROUP, Duration.ZERO);
		listener.pushSucceeded(PushGroup.of("export"), Duration.ZERO);

		assertThat(this.registry.get("batch.pushgateway.pushes").tag("batch.job", "import").counter().count())
			.isOne();
		assertThat(this.registry.get("batch.pushgateway.pushes").tag("batch.job", "export").counter().count())
			.isOne();
	}

	@Test
	void listenerWithoutTargetTagsItEmpty() {
		new MicrometerPushListener(() -> this.registry).pushSucceeded(GROUP, Duration.ZERO);

		assertThat(this.registry.get("batch.pushgateway.pushes").tag("target", "").counter().count()).isOne();
	}

	@Test
	void noRegistryRecordsNothing() {
		new MicrometerPushListener(() -> null).pushSucceeded(GROUP, Duration.ZERO);
		new MicrometerPushListener(() -> null).forTarget("t").pushFailed(GROUP, new IOException(), Duration.ZERO);
	}

	@Test
	void registryIsAskedAtEachPushSoItMayComeLater() {
		// given
		AtomicReference<MeterRegistry> later = new AtomicReference<>();
		MicrometerPushListener listener = new MicrometerPushListener(later::get).forTarget("t");
		listener.pushSucceeded(GROUP, Duration.ZERO);
		// when
		later.set(this.registry);
		listener.pushSucceeded(GROUP, Duration.ZERO);
		// then
		assertThat(this.registry.get("batch.pushgateway.pushes").counter().count()).isOne();
	}

}
