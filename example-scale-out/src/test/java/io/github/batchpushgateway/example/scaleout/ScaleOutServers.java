package io.github.batchpushgateway.example.scaleout;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.github.batchpushgateway.testsupport.PostgresServer;
import io.github.batchpushgateway.testsupport.RabbitMqServer;

/**
 * The servers of {@link ScaleOutCluster} that take longest to start, PostgreSQL and
 * RabbitMQ, started once for every scale-out test class of a test run (JUnit's root
 * store holds them and closes them at the end). Each class keeps apart from the others by
 * a database of its own and by queues emptied before its workers start.
 */
final class ScaleOutServers implements AutoCloseable {

	private final PostgresServer postgres;

	private final RabbitMqServer rabbit;

	private ScaleOutServers(PostgresServer postgres, RabbitMqServer rabbit) {
		this.postgres = postgres;
		this.rabbit = rabbit;
	}

	static ScaleOutServers start() {
		PostgresServer postgres = PostgresServer.start();
		try {
			return new ScaleOutServers(postgres, RabbitMqServer.start());
		}
		catch (RuntimeException ex) {
			postgres.close();
			throw ex;
		}
	}

	/**
	 * Create an empty database, owned by the user the JVMs connect as: the manager creates
	 * Spring Batch's tables and {@code processed_item} in it, as in a database of its own.
	 * @param name the database's name
	 * @return its JDBC URL
	 */
	String createDatabase(String name) {
		this.postgres.psql("postgres", "CREATE DATABASE " + name + " OWNER " + this.postgres.user());
		return "jdbc:postgresql://127.0.0.1:" + this.postgres.port() + "/" + name;
	}

	/**
	 * Run a query in a database and return its output.
	 * @return rows separated by new lines, columns by {@code |}
	 */
	String query(String database, String sql) {
		return this.postgres.psql(database, sql);
	}

	/**
	 * Delete the example's queues with the messages they hold, such as the partition
	 * requests of a job stopped before its workers took them; the next JVM to connect
	 * declares them again, empty.
	 */
	void deleteQueues() {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(this.rabbit.host());
		factory.setPort(this.rabbit.amqpPort());
		factory.setUsername(this.rabbit.username());
		factory.setPassword(this.rabbit.password());
		try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
			// RabbitMQ answers delete-ok for a queue that does not exist.
			for (String queue : new String[] { Broker.PARTITION_REQUESTS, Broker.CHUNK_REQUESTS,
					Broker.CHUNK_REPLIES }) {
				channel.queueDelete(queue);
			}
		}
		catch (IOException | TimeoutException ex) {
			throw new IllegalStateException("Could not delete the example's queues on " + this.rabbit, ex);
		}
	}

	/**
	 * The JVMs' arguments that connect them to these servers.
	 * @param jdbcUrl the database of the test class
	 * @return {@code spring.datasource.*} and {@code spring.rabbitmq.*} arguments
	 */
	String[] connectionArguments(String jdbcUrl) {
		return new String[] { "--spring.datasource.url=" + jdbcUrl,
				"--spring.datasource.username=" + this.postgres.user(),
				"--spring.datasource.password=" + this.postgres.password(),
				"--spring.rabbitmq.host=" + this.rabbit.host(), "--spring.rabbitmq.port=" + this.rabbit.amqpPort(),
				"--spring.rabbitmq.username=" + this.rabbit.username(),
				"--spring.rabbitmq.password=" + this.rabbit.password() };
	}

	@Override
	public void close() {
		try {
			this.rabbit.close();
		}
		finally {
			this.postgres.close();
		}
	}

}
