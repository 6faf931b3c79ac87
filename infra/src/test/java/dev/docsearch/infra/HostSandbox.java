package dev.docsearch.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A fake host for the scripts of scripts/host: a temporary root directory (ROOT_PREFIX), a bin directory where
 * every system command the scripts call is the test double {@code host-stubs/stub}, and beside it only harmless
 * tools (coreutils, grep, sed, bash). Nothing else is on PATH, so a command the stub does not know fails the test
 * instead of changing this machine.
 */
final class HostSandbox {

  static final List<String> STUBBED = List.of("apt-get", "dpkg-query", "dpkg", "curl", "snap", "mount",
      "mountpoint", "getent", "groupadd", "useradd", "systemctl", "amazon-cloudwatch-agent-ctl", "id", "runuser",
      "java");
  private static final List<String> SAFE_TOOLS = List.of("bash", "sh", "env", "cat", "cp", "mv", "rm", "mkdir",
      "grep", "sed", "date", "dirname", "basename", "head", "tail", "tee", "mktemp", "cmp", "install", "chmod",
      "chown", "stat", "touch", "tr", "sort", "ln", "readlink", "sleep", "wc", "ls", "awk", "sha256sum",
      "base64", "gzip", "gunzip");

  /** Links to the harmless tools, shared by all sandboxes of this JVM (outside JUnit's temp dirs). */
  private static final Path SAFE_BIN = safeBin();

  final Path dir;
  final Path root;
  final Path bin;
  final Path state;
  final Path log;

  /**
   * The result of one run.
   *
   * @param exitCode the script's exit status
   * @param output   its stdout and stderr
   * @param calls    the stubbed commands it called, "name args", in order
   */
  record Run(int exitCode, String output, List<String> calls) {
    boolean called(String prefix) {
      return calls.stream().anyMatch(c -> c.startsWith(prefix));
    }

    int indexOf(String prefix) {
      for (int i = 0; i < calls.size(); i++) {
        if (calls.get(i).startsWith(prefix)) {
          return i;
        }
      }
      throw new AssertionError("never called: " + prefix + "\ncalls:\n" + String.join("\n", calls));
    }
  }

  HostSandbox(Path dir) {
    this.dir = dir;
    root = dir.resolve("root");
    bin = dir.resolve("bin");
    state = dir.resolve("state");
    log = dir.resolve("calls.log");
    try {
      Files.createDirectories(root);
      Files.createDirectories(bin);
      Files.createDirectories(state);
      Files.createDirectories(dir.resolve("tmp"));
      Path stub = bin.resolve(".stub");
      Files.copy(stubSource(), stub);
      Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
      for (String name : STUBBED) {
        Files.createSymbolicLink(bin.resolve(name), stub);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code script} with bash, the sandbox's PATH and environment plus {@code env}. */
  Run run(Path script, Map<String, String> env, String... args) {
    try {
      Files.deleteIfExists(log);
      Files.createFile(log);
      List<String> command = new ArrayList<>(List.of(SAFE_BIN.resolve("bash").toString(), script.toString()));
      command.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile());
      Map<String, String> environment = pb.environment();
      environment.clear();
      environment.put("PATH", bin + ":" + SAFE_BIN);
      environment.put("HOME", dir.toString());
      environment.put("TMPDIR", dir.resolve("tmp").toString());
      environment.put("ROOT_PREFIX", root.toString());
      environment.put("STUB_LOG", log.toString());
      environment.put("STUB_STATE", state.toString());
      environment.putAll(env);
      Process process = pb.start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("script did not finish in 120 s: " + script);
      }
      return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8),
          Files.readAllLines(log, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code script} with a test's {@code defaults}, each overridden by the value {@code env} gives. */
  Run run(Path script, Map<String, String> defaults, Map<String, String> env) {
    Map<String, String> all = new HashMap<>(defaults);
    all.putAll(env);
    return run(script, all);
  }

  /** Writes {@code text} as an executable file in the sandbox. */
  Path executable(String name, String text) {
    try {
      Path file = dir.resolve(name);
      Files.writeString(file, text, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every file under the root with its content and mode: equal snapshots mean a run changed nothing. */
  Map<String, String> snapshot(String... ignored) {
    Map<String, String> files = new HashMap<>();
    try (var walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        String rel = root.relativize(p).toString();
        if (List.of(ignored).contains(rel)) {
          continue;
        }
        String owner = Files.getAttribute(p, "unix:uid") + ":" + Files.getAttribute(p, "unix:gid");
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        String content = Files.isRegularFile(p) ? Files.readString(p) : "<dir>";
        files.put(rel, owner + " " + mode + " " + content);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  private static Path safeBin() {
    try {
      Path safe = Files.createTempDirectory("docsearch-safe-bin");
      for (String tool : SAFE_TOOLS) {
        Files.createSymbolicLink(safe.resolve(tool), which(tool));
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try (var links = Files.list(safe)) {
          for (Path link : (Iterable<Path>) links::iterator) {
            Files.deleteIfExists(link);
          }
          Files.deleteIfExists(safe);
        } catch (IOException e) {
          // a temp dir left behind is harmless
        }
      }));
      return safe;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path stubSource() {
    try {
      return Path.of(HostSandbox.class.getResource("/host-stubs/stub").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path which(String tool) {
    for (String d : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
      Path p = Path.of(d, tool);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new IllegalStateException("no " + tool + " on this machine");
  }
}
