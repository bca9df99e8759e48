package io.github.batchpushgateway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (Debian package {@code postgresql}) on a free loopback port,
 * with its data directory and its Unix socket in a temporary directory of its own, and one
 * database owned by one user for the test.
 *
 * <p>
 * Typical use: <pre class="code">
 * try (PostgresServer postgres = PostgresServer.start()) {
 *     // spring.datasource.url=postgres.jdbcUrl(), username/password postgres.user()/password()
 * }
 * </pre>
 *
 * <p>
 * PostgreSQL refuses to run as root: when the JVM runs as root, {@code initdb} and the
 * server run as the {@code postgres} system user that the package creates, and the
 * temporary directory is handed to that user. {@link #close()} stops the server with a
 * fast shutdown (clients still connected are disconnected, not waited for) and deletes
 * the directory.
 */
public final class PostgresServer implements AutoCloseable {

	/** Debian package that provides the binaries. */
	static final String PACKAGE = "postgresql";

	private static final Path DEBIAN_VERSIONS = Path.of("/usr/lib/postgresql");

	private static final List<String> BINARIES = List.of("initdb", "postgres", "pg_ctl", "pg_isready", "psql");

	private static final String SYSTEM_USER = "postgres";

	private static final String DATABASE = "batch";

	private static final String USER = "batch";

	private static final String PASSWORD = "batch";

	private static final Duration READINESS_TIMEOUT = Duration.ofSeconds(60);

	private final Path binaries;

	private final Path directory;

	private final int port;

	private final ServerProcess process;

	private PostgresServer(Path binaries, Path directory, ServerProcess.Launched launched) {
		this.binaries = binaries;
		this.directory = directory;
		this.port = launched.port();
		this.process = launched.process();
	}

	/**
	 * Initialise a cluster in a new temporary directory, start it on a free loopback port
	 * and create the test's user and database.
	 * @return the ready server
	 * @throws IllegalStateException when the binaries are missing (naming
	 * {@code ./scripts/setup}) or the server does not start
	 */
	public static PostgresServer start() {
		Path binaries = binaryDirectory();
		Path directory = TempDirectories.create("postgres");
		try {
			handToServerUser(directory);
			Path data = directory.resolve("data");
			ToolResult initdb = ToolRunner.run(asServerUser(binaries.resolve("initdb").toString(), "-D",
					data.toString(), "-U", SYSTEM_USER, "--auth=trust", "-E", "UTF8", "--no-sync"), null);
			if (!initdb.isSuccess()) {
				throw new IllegalStateException("initdb failed: " + initdb.output());
			}
			Path logFile = directory.resolve("postgres.log");
			ServerProcess.Launched launched = ServerProcess.startOnFreePort("postgres",
					(port) -> ServerProcess.start("postgres", serverCommand(binaries, directory, port), Map.of(),
							logFile, () -> notReadyProblem(binaries, port), READINESS_TIMEOUT));
			PostgresServer server = new PostgresServer(binaries, directory, launched);
			try {
				server.psql("postgres", "CREATE USER " + USER + " PASSWORD '" + PASSWORD + "'",
						"CREATE DATABASE " + DATABASE + " OWNER " + USER);
			}
			catch (RuntimeException ex) {
				server.close();
				throw ex;
			}
			return server;
		}
		catch (RuntimeException ex) {
			TempDirectories.delete(directory);
			throw ex;
		}
	}

	/**
	 * Return the directory of the PostgreSQL binaries: the one holding {@code initdb} on
	 * the {@code PATH}, else the newest {@code /usr/lib/postgresql/<version>/bin} (where
	 * Debian installs them, off the {@code PATH}).
	 * @return the directory holding {@code initdb}, {@code postgres} and {@code psql}
	 * @throws IllegalStateException when none is found, naming {@code ./scripts/setup}
	 */
	static Path binaryDirectory() {
		// A link on the PATH (such as /usr/local/bin/initdb) leads to the directory that
		// holds the other binaries too.
		Optional<Path> onPath = Binaries.find("initdb").map(PostgresServer::realDirectory);
		if (onPath.isPresent() && hasAllBinaries(onPath.get())) {
			return onPath.get();
		}
		if (Files.isDirectory(DEBIAN_VERSIONS)) {
			try (Stream<Path> versions = Files.list(DEBIAN_VERSIONS)) {
				Optional<Path> newest = versions.map((version) -> version.resolve("bin"))
					.filter(PostgresServer::hasAllBinaries)
					.max(Comparator.comparingInt(PostgresServer::majorVersion));
				if (newest.isPresent()) {
					return newest.get();
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not list " + DEBIAN_VERSIONS, ex);
			}
		}
		throw Binaries.missing("PostgreSQL's " + String.join(", ", BINARIES) + " not found on the PATH or in "
				+ DEBIAN_VERSIONS + "/<version>/bin", PACKAGE);
	}

	private static Path realDirectory(Path binary) {
		try {
			return binary.toRealPath().getParent();
		}
		catch (IOException ex) {
			return binary.getParent();
		}
	}

	private static boolean hasAllBinaries(Path directory) {
		return BINARIES.stream().allMatch((binary) -> Binaries.isExecutable(directory.resolve(binary)));
	}

	private static int majorVersion(Path bin) {
		String version = bin.getParent().getFileName().toString();
		return version.matches("\\d+") ? Integer.parseInt(version) : -1;
	}

	private static List<String> serverCommand(Path binaries, Path directory, int port) {
		// The socket directory is ours, not /var/run/postgresql, which may not exist or be
		// another cluster's; fsync off because a test database need not survive a crash.
		return asServerUser(binaries.resolve("postgres").toString(), "-D", directory.resolve("data").toString(), "-p",
				String.valueOf(port), "-k", directory.toString(), "-c", "listen_addresses=127.0.0.1", "-c",
				"fsync=off", "-c", "full_page_writes=off");
	}

	private static String notReadyProblem(Path binaries, int port) {
		ToolResult ready = ToolRunner.run(List.of(binaries.resolve("pg_isready").toString(), "-q", "-h", "127.0.0.1",
				"-p", String.valueOf(port), "-U", SYSTEM_USER), null);
		return ready.isSuccess() ? null : "pg_isready exited with " + ready.exitCode();
	}

	/**
	 * Prefix a command so that it runs as the {@code postgres} system user when the JVM
	 * runs as root. {@code setpriv} replaces itself with the command, so the process the
	 * JVM holds (and signals) is PostgreSQL itself.
	 */
	private static List<String> asServerUser(String... command) {
		List<String> result = new ArrayList<>();
		if (isRoot()) {
			result.addAll(List.of("setpriv", "--reuid=" + SYSTEM_USER, "--regid=" + SYSTEM_USER, "--init-groups"));
		}
		result.addAll(List.of(command));
		return result;
	}

	private static boolean isRoot() {
		return "root".equals(System.getProperty("user.name"));
	}

	private static void handToServerUser(Path directory) {
		if (!isRoot()) {
			return;
		}
		try {
			UserPrincipalLookupService users = directory.getFileSystem().getUserPrincipalLookupService();
			GroupPrincipal group = users.lookupPrincipalByGroupName(SYSTEM_USER);
			PosixFileAttributeView view = Files.getFileAttributeView(directory, PosixFileAttributeView.class);
			view.setOwner(users.lookupPrincipalByName(SYSTEM_USER));
			view.setGroup(group);
		}
		catch (IOException ex) {
			throw new IllegalStateException("PostgreSQL refuses to run as root, and the '" + SYSTEM_USER
					+ "' system user was not found to run it. Run ./scripts/setup (installs the Debian package "
					+ PACKAGE + ", which creates that user)", ex);
		}
	}

	/**
	 * Run SQL statements with {@code psql} as the superuser, stopping at the first error.
	 * @param database the database to connect to
	 * @param statements the statements, each run on its own
	 * @return the output of {@code psql} (unaligned, tuples only)
	 * @throws IllegalStateException when a statement fails
	 */
	public String psql(String database, String... statements) {
		List<String> command = new ArrayList<>(List.of(this.binaries.resolve("psql").toString(), "-X", "-q", "-A",
				"-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String.valueOf(this.port), "-U", SYSTEM_USER,
				"-d", database));
		for (String statement : statements) {
			command.add("-c");
			command.add(statement);
		}
		ToolResult result = ToolRunner.run(command, null);
		if (!result.isSuccess()) {
			throw new IllegalStateException("psql failed (" + String.join("; ", statements) + "): " + result.output());
		}
		return result.output().strip();
	}

	/**
	 * Run a query in the test's database and return its output.
	 * @param sql the query
	 * @return rows separated by new lines, columns by {@code |}
	 */
	public String query(String sql) {
		return psql(DATABASE, sql);
	}

	/**
	 * Return the port the server listens on.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Return the JDBC URL of the test's database.
	 * @return {@code jdbc:postgresql://127.0.0.1:<port>/batch}
	 */
	public String jdbcUrl() {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/" + DATABASE;
	}

	/**
	 * Return the user that owns the test's database.
	 * @return the user name
	 */
	public String user() {
		return USER;
	}

	/**
	 * Return the password of {@link #user()}.
	 * @return the password
	 */
	public String password() {
		return PASSWORD;
	}

	/**
	 * Return the temporary directory that holds the data, the socket and the log.
	 * @return the directory, deleted on {@link #close()}
	 */
	public Path directory() {
		return this.directory;
	}

	/**
	 * Whether the server process is running.
	 * @return {@code true} unless closed or exited
	 */
	public boolean isRunning() {
		return this.process.isAlive();
	}

	/**
	 * Return the last lines of the server's log, for assertion messages.
	 * @return the log tail, possibly empty
	 */
	public String logTail() {
		return this.process.logTail();
	}

	/**
	 * Stop the server with a fast shutdown and delete its temporary directory.
	 */
	@Override
	public void close() {
		try {
			if (this.process.isAlive()) {
				// SIGTERM (what the JDK sends) is a smart shutdown, which waits for every client
				// to disconnect; a test's connection pools may never do so.
				ToolRunner.run(asServerUser(this.binaries.resolve("pg_ctl").toString(), "stop", "-D",
						this.directory.resolve("data").toString(), "-m", "fast", "-w", "-t", "20"), null);
			}
		}
		finally {
			try {
				this.process.stop();
			}
			finally {
				TempDirectories.delete(this.directory);
			}
		}
	}

	@Override
	public String toString() {
		return "PostgresServer[" + jdbcUrl() + "]";
	}

}
