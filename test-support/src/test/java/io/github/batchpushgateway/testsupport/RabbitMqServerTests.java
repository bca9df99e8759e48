package io.github.batchpushgateway.testsupport;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

class RabbitMqServerTests {

	@Test
	void carriesMessagesOverAmqpAndLeavesNothingBehindWhenClosed() throws Exception {
		// given
		RabbitMqServer rabbit = RabbitMqServer.start();
		Path directory = rabbit.directory();
		int port = rabbit.amqpPort();
		try {
			ConnectionFactory factory = new ConnectionFactory();
			factory.setHost(rabbit.host());
			factory.setPort(rabbit.amqpPort());
			factory.setUsername(rabbit.username());
			factory.setPassword(rabbit.password());

			// when
			try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
				channel.queueDeclare("requests", false, false, false, null);
				channel.basicPublish("", "requests", null, "partition-1".getBytes(StandardCharsets.UTF_8));
				GetResponse response = channel.basicGet("requests", true);

				// then
				assertThat(new String(response.getBody(), StandardCharsets.UTF_8)).isEqualTo("partition-1");
			}
			// its node, database and logs live in its own directory, not /var/lib/rabbitmq
			assertThat(directory.resolve("mnesia")).isDirectory();
			assertThat(directory.resolve(".erlang.cookie")).exists();
		}
		finally {
			// when
			rabbit.close();
		}

		// then
		assertThat(rabbit.isRunning()).isFalse();
		assertThat(Files.exists(directory)).isFalse();
		assertThatIOException().isThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close());
	}

	@Test
	void twoBrokersRunSideBySide() throws Exception {
		try (RabbitMqServer first = RabbitMqServer.start(); RabbitMqServer second = RabbitMqServer.start()) {
			assertThat(first.amqpPort()).isNotEqualTo(second.amqpPort());
			assertThat(first.isRunning()).isTrue();
			assertThat(second.isRunning()).isTrue();
		}
	}

}
