package io.github.batchpushgateway.autoconfigure.test;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextCustomizer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BatchPushgatewayTestContextCustomizerFactory}: its customizers are part of the
 * key of Spring's test context cache.
 */
class BatchPushgatewayTestContextCustomizerFactoryTests {

	private final BatchPushgatewayTestContextCustomizerFactory factory = new BatchPushgatewayTestContextCustomizerFactory();

	@Test
	void testsWithTheSameOptInShareACachedContext() {
		assertThat(customizerFor(Plain.class)).isEqualTo(customizerFor(OtherPlain.class))
			.hasSameHashCodeAs(customizerFor(OtherPlain.class));
		assertThat(customizerFor(Annotated.class)).isEqualTo(customizerFor(InheritsTheAnnotation.class))
			.hasSameHashCodeAs(customizerFor(InheritsTheAnnotation.class));
	}

	@Test
	void testsWithADifferentOptInDoNotShareAContext() {
		assertThat(customizerFor(Plain.class)).isNotEqualTo(customizerFor(Annotated.class));
		assertThat(customizerFor(Annotated.class)).isNotEqualTo(customizerFor(Declined.class));
	}

	private ContextCustomizer customizerFor(Class<?> testClass) {
		return this.factory.createContextCustomizer(testClass, List.of());
	}

	static class Plain {

	}

	static class OtherPlain {

	}

	@AutoConfigureBatchPushgateway
	static class Annotated {

	}

	static class InheritsTheAnnotation extends Annotated {

	}

	@AutoConfigureBatchPushgateway(push = false)
	static class Declined {

	}

}
