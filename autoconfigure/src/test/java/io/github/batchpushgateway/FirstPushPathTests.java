package io.github.batchpushgateway;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import io.github.batchpushgateway.push.GroupSender;
import org.junit.jupiter.api.Test;
import org.springframework.asm.ClassReader;
import org.springframework.asm.ClassVisitor;
import org.springframework.asm.Handle;
import org.springframework.asm.MethodVisitor;
import org.springframework.asm.SpringAsmInfo;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the classes a short job's JVM runs on the way to its first push, on the job's
 * thread at its first event and on the sending thread, use no lambda or method reference: each
 * spins a class of its own at its first use, as costly as loading one, and a cold
 * {@code java -jar} pays every one (docs/measured.md, the cold row), where a loop needs none.
 */
class FirstPushPathTests {

	private static final String LAMBDA_FACTORY = "java/lang/invoke/LambdaMetafactory";

	@Test
	void theSenderTheExchangeItsDeadlinesTheHistorysReadsAndTheFirstEventsSpinNoLambda() throws Exception {
		List<String> lambdas = new ArrayList<>();
		for (String type : List.of(GroupSender.class.getName(), "io.github.batchpushgateway.push.ExchangeWatchdog",
				"io.github.batchpushgateway.push.UrlConnectionExchange", "io.github.batchpushgateway.push.PushgatewayHttpClient",
				"io.github.batchpushgateway.push.GroupRequests", "io.github.batchpushgateway.push.PayloadBuffer",
				"io.github.batchpushgateway.batch.JdbcJobExecutions", "io.github.batchpushgateway.batch.JobEventRecorder",
				"io.github.batchpushgateway.batch.PushGroupResolver")) {
			Class<?> outer = Class.forName(type);
			lambdas.addAll(lambdasOf(outer));
			for (Class<?> nested : outer.getDeclaredClasses()) {
				lambdas.addAll(lambdasOf(nested));
			}
		}
		assertThat(lambdas).isEmpty();
	}

	@Test
	void theCheckFindsALambda() throws Exception {
		assertThat(lambdasOf(Class.forName("io.github.batchpushgateway.batch.JobRepositoryReads"))).isNotEmpty();
	}

	/** The methods of a class that make a lambda or a method reference, as {@code Type.method}. */
	private static List<String> lambdasOf(Class<?> type) throws IOException {
		List<String> found = new ArrayList<>();
		String resource = type.getName().replace('.', '/') + ".class";
		try (InputStream bytes = type.getClassLoader().getResourceAsStream(resource)) {
			new ClassReader(bytes).accept(new ClassVisitor(SpringAsmInfo.ASM_VERSION) {

				@Override
				public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
						String[] exceptions) {
					return new MethodVisitor(SpringAsmInfo.ASM_VERSION) {

						@Override
						public void visitInvokeDynamicInsn(String indyName, String indyDescriptor, Handle bootstrap,
								Object... arguments) {
							if (bootstrap.getOwner().equals(LAMBDA_FACTORY)) {
								found.add(type.getSimpleName() + "." + name);
							}
						}

					};
				}

			}, ClassReader.SKIP_DEBUG);
		}
		return found;
	}

}
