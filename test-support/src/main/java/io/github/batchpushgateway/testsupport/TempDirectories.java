package io.github.batchpushgateway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Temporary directories of the servers: one per server, removed when it closes.
 */
final class TempDirectories {

	private static final Set<Path> existing = ConcurrentHashMap.newKeySet();

	private TempDirectories() {
	}

	static Path create(String prefix) {
		try {
			Path directory = Files.createTempDirectory(prefix + "-");
			existing.add(directory);
			return directory;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create a temporary directory", ex);
		}
	}

	/**
	 * Delete a directory tree, ignoring files that vanish meanwhile.
	 */
	static void delete(Path directory) {
		if (directory == null) {
			return;
		}
		existing.remove(directory);
		if (!Files.exists(directory)) {
			return;
		}
		try {
			Files.walkFileTree(directory, new SimpleFileVisitor<>() {

				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
					Files.deleteIfExists(file);
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult visitFileFailed(Path file, IOException ex) {
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult postVisitDirectory(Path dir, IOException ex) throws IOException {
					Files.deleteIfExists(dir);
					return FileVisitResult.CONTINUE;
				}

			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not delete " + directory, ex);
		}
	}

	/**
	 * Delete the directories of servers that were never closed, once their processes are
	 * gone (called while the JVM exits).
	 */
	static void deleteRemaining() {
		for (Path directory : existing) {
			try {
				delete(directory);
			}
			catch (UncheckedIOException ex) {
				// Best effort while the JVM exits.
			}
		}
	}

}
