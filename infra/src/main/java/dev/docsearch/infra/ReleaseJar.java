package dev.docsearch.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A jar the search host runs (the service or the pipeline), as the file the stack ships as a CDK asset.
 *
 * <p>When the jar has not been built (unit tests, or {@code cdk synth} before {@code mvn package}), the stack ships a
 * small text file named {@code <name>.PLACEHOLDER.jar} instead, so that synth still works without the other
 * modules. It is not a zip: the host's bootstrap recognises it and stops with a message that says to build the jars
 * and deploy again, and the app adds a synth warning.
 *
 * @param name        the file name installed on the host, e.g. {@code docsearch-service.jar}
 * @param path        the file shipped as the asset
 * @param placeholder whether {@code path} is the placeholder rather than the built jar
 */
public record ReleaseJar(String name, Path path, boolean placeholder) {

  /** First line of every placeholder; the host bootstrap prints it. */
  public static final String PLACEHOLDER_MARKER = "docsearch placeholder, not a jar";

  /** The built jar at {@code built} if it exists, else a placeholder for it. */
  public static ReleaseJar resolve(Path built) {
    String name = built.getFileName().toString();
    if (Files.isRegularFile(built)) {
      return new ReleaseJar(name, built.toAbsolutePath(), false);
    }
    return new ReleaseJar(name, writePlaceholder(name, built), true);
  }

  private static Path writePlaceholder(String name, Path missing) {
    // Content and location are fixed so that the asset hash, and so the template, is the same on every synth.
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "docsearch-placeholder-jars");
    Path file = dir.resolve(name.replaceFirst("\\.jar$", "") + ".PLACEHOLDER.jar");
    String text = PLACEHOLDER_MARKER + ": " + name + "\n"
        + "The jar was not built when the stack was synthesized (expected at " + missing + ").\n"
        + "Build it (mvn -B package) and run cdk deploy again.\n";
    try {
      Files.createDirectories(dir);
      if (!Files.isRegularFile(file) || !Files.readString(file).equals(text)) {
        Path tmp = Files.createTempFile(dir, "placeholder", ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the placeholder for " + name + " in " + dir, e);
    }
  }
}
