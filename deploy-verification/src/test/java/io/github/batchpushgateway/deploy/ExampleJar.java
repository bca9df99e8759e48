package io.github.batchpushgateway.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The example job's executable jar, as users run it with {@code java -jar} and as the deploy
 * files start it, unpacked into a directory: its packaged {@code application.yml},
 * and a class loader over its classes and libraries (the starter, Spring Boot), kept apart
 * from the tests' own class path. The deploy files are checked against this application.
 */
final class ExampleJar implements AutoCloseable {

	private static final String CLASSES = "BOOT-INF/classes/";

	private static final String LIBRARIES = "BOOT-INF/lib/";

	private static final String META_INF = "META-INF/";

	private final Path directory;

	private final URLClassLoader classLoader;

	private ExampleJar(Path directory, URLClassLoader classLoader) {
		this.directory = directory;
		this.classLoader = classLoader;
	}

	/**
	 * Unpacks the jar the build packaged ({@link ExampleJobProcess#jar()}).
	 * @param directory an empty directory to unpack it into, which the caller deletes
	 * @return the unpacked jar, to close when done
	 */
	static ExampleJar unpack(Path directory) {
		Path jar = ExampleJobProcess.jar();
		try (ZipFile zip = new ZipFile(jar.toFile())) {
			List<URL> classPath = new ArrayList<>();
			// Created first: a directory's URL must end with a slash, or the class loader reads it as a jar.
			Path classes = Files.createDirectories(directory.resolve("classes"));
			classPath.add(url(classes));
			Enumeration<? extends ZipEntry> entries = zip.entries();
			while (entries.hasMoreElements()) {
				ZipEntry entry = entries.nextElement();
				if (entry.isDirectory()) {
					continue;
				}
				Path target = null;
				if (entry.getName().startsWith(CLASSES)) {
					target = classes.resolve(entry.getName().substring(CLASSES.length())).normalize();
				}
				else if (entry.getName().startsWith(META_INF) && !entry.getName().equals(META_INF + "MANIFEST.MF")) {
					// The repackaging moves the application's META-INF (its configuration metadata) to the root.
					target = classes.resolve(entry.getName()).normalize();
				}
				else if (entry.getName().startsWith(LIBRARIES) && entry.getName().endsWith(".jar")) {
					target = directory.resolve("lib").resolve(entry.getName().substring(LIBRARIES.length())).normalize();
					classPath.add(url(target));
				}
				if (target != null) {
					if (!target.startsWith(directory)) {
						throw new IllegalStateException("Entry outside the jar's directories: " + entry.getName());
					}
					Files.createDirectories(target.getParent());
					try (InputStream content = zip.getInputStream(entry)) {
						Files.copy(content, target);
					}
				}
			}
			if (!Files.isRegularFile(classes.resolve("application.yml"))) {
				throw new IllegalStateException(jar + " has no " + CLASSES + "application.yml: not the example's jar?");
			}
			return new ExampleJar(directory,
					new URLClassLoader(classPath.toArray(URL[]::new), ClassLoader.getPlatformClassLoader()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not unpack " + jar, ex);
		}
	}

	/**
	 * Returns the application's packaged {@code application.yml}.
	 * @return the file
	 */
	Path applicationYaml() {
		return this.directory.resolve("classes/application.yml");
	}

	/**
	 * Returns a class loader over the application's classes and libraries only.
	 * @return the class loader
	 */
	ClassLoader classLoader() {
		return this.classLoader;
	}

	/**
	 * Reads a public constant of one of the application's classes.
	 * @param className the class
	 * @param field the constant's name
	 * @return its value
	 */
	String constant(String className, String field) {
		try {
			return (String) Class.forName(className, true, this.classLoader).getField(field).get(null);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("No constant " + className + "." + field + " in the example's jar", ex);
		}
	}

	@Override
	public void close() throws IOException {
		this.classLoader.close();
	}

	private static URL url(Path path) {
		try {
			return path.toUri().toURL();
		}
		catch (MalformedURLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
