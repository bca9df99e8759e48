package io.github.batchpushgateway.testsupport;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

class PostgresServerTests {

	private static PostgresServer postgres;

	@BeforeAll
	static void startPostgres() {
		postgres = PostgresServer.start();
	}

	@AfterAll
	static void closePostgres() {
		if (postgres != null) {
			postgres.close();
		}
	}

	@Test
	void servesTheTestDatabaseToItsUserOverJdbc() throws Exception {
		// when
		try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(),
				postgres.password()); Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE item (id INT PRIMARY KEY)");
			statement.execute("INSERT INTO item VALUES (1), (2)");
			ResultSet result = statement.executeQuery("SELECT current_user, current_database(), count(*) FROM item");
			result.next();

			// then
			assertThat(result.getString(1)).isEqualTo(postgres.user());
			assertThat(result.getString(2)).isEqualTo("batch");
			assertThat(result.getInt(3)).isEqualTo(2);
		}
		assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/batch");
		assertThat(postgres.query("SELECT count(*) FROM item")).isEqualTo("2");
	}

	@Test
	void listensOnLoopbackWithItsSocketInItsOwnDirectory() throws Exception {
		assertThat(postgres.query("SHOW listen_addresses")).isEqualTo("127.0.0.1");
		assertThat(postgres.query("SHOW unix_socket_directories")).isEqualTo(postgres.directory().toString());
		assertThat(postgres.directory().resolve(".s.PGSQL." + postgres.port())).exists();
		assertThat(postgres.query("SELECT current_setting('data_directory')"))
			.isEqualTo(postgres.directory().resolve("data").toString());
	}

	@Test
	void closeStopsTheServerAndDeletesItsDirectory() throws Exception {
		// given
		PostgresServer other = PostgresServer.start();
		Path directory = other.directory();
		int port = other.port();
		try (Connection connection = DriverManager.getConnection(other.jdbcUrl(), other.user(), other.password())) {
			// when: a client still connected (a pool) must not hold the shutdown up
			other.close();
		}

		// then
		assertThat(other.isRunning()).isFalse();
		assertThat(Files.exists(directory)).isFalse();
		assertThatIOException().isThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close());
	}

	@Test
	void findsTheDebianBinariesOffThePath() {
		assertThat(PostgresServer.binaryDirectory().resolve("postgres")).isExecutable();
	}

}
