package io.github.batchpushgateway.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PushBackgroundPreinitializer}.
 */
class PushBackgroundPreinitializerTests {

	private final List<Runnable> started = new ArrayList<>();

	private final PushBackgroundPreinitializer preinitializer = new PushBackgroundPreinitializer(this.started::add,
			new AtomicBoolean());

	@Test
	void springBootCreatesItFromSpringFactoriesThoughItIsNotPublic() {
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(ApplicationListener.class))
			.hasAtLeastOneElementOfType(PushBackgroundPreinitializer.class);
	}

	@Test
	void startsTheWorkInTheBackgroundOncePerJvm() {
		this.preinitializer.onApplicationEvent(event(new MockEnvironment()));
		this.preinitializer.onApplicationEvent(event(new MockEnvironment()));

		assertThat(this.started).hasSize(1);
	}

	@Test
	void doesNothingWhenTheStarterIsDisabled() {
		this.preinitializer
			.onApplicationEvent(event(new MockEnvironment().withProperty("batch.pushgateway.enabled", "false")));

		assertThat(this.started).isEmpty();
	}

	@Test
	void doesNothingWhenSpringBootsBackgroundPreinitializationIsOff() {
		System.setProperty("spring.backgroundpreinitializer.ignore", "true");
		try {
			this.preinitializer.onApplicationEvent(event(new MockEnvironment()));
		}
		finally {
			System.clearProperty("spring.backgroundpreinitializer.ignore");
		}

		assertThat(this.started).isEmpty();
	}

	@Test
	void warmsTheWriterOfTheFormatPushesUseTextByDefault() {
		assertThat(PushBackgroundPreinitializer.pushesText(new MockEnvironment())).isTrue();
		assertThat(PushBackgroundPreinitializer
			.pushesText(new MockEnvironment().withProperty("batch.pushgateway.format", "text"))).isTrue();
		assertThat(PushBackgroundPreinitializer
			.pushesText(new MockEnvironment().withProperty("batch.pushgateway.format", "PROTOBUF"))).isFalse();
	}

	@Test
	void buildsAndWritesAJobsStateInEitherFormatWithoutSendingIt() {
		long protobuf = PushBackgroundPreinitializer.preinitialize(false);
		long text = PushBackgroundPreinitializer.preinitialize(true);

		assertThat(protobuf).isPositive();
		assertThat(text).isGreaterThan(protobuf);
	}

	private static ApplicationEnvironmentPreparedEvent event(MockEnvironment environment) {
		return new ApplicationEnvironmentPreparedEvent(new DefaultBootstrapContext(), new SpringApplication(),
				new String[0], environment);
	}

}
