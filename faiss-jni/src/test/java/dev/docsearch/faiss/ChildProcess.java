package dev.docsearch.faiss;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a child process (objdump, ldd, python3) with a deadline. The child writes to temporary files rather than to
 * pipes: reading a pipe to its end before {@code waitFor} blocks until the child exits, so a hung child would hang the
 * build however short the timeout; and a file, unlike a pipe, never fills up and stalls a child that prints a lot.
 */
final class ChildProcess {
    private ChildProcess() {
    }

    /** What a child that finished in time printed, and how it exited. */
    record Output(int exitCode, String stdout, String stderr) {
    }

    /**
     * Runs {@code command} and waits at most {@code timeout} for it. On timeout the child (and anything it started) is
     * killed and an {@link AssertionError} says which command hung, with what it had printed.
     *
     * @param mergeStderr whether stderr goes into {@link Output#stdout()} (then {@link Output#stderr()} is empty)
     */
    static Output run(Duration timeout, boolean mergeStderr, List<String> command)
            throws IOException, InterruptedException {
        Path stdout = Files.createTempFile("faiss-jni-test-child", ".stdout");
        Path stderr = Files.createTempFile("faiss-jni-test-child", ".stderr");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile());
            if (mergeStderr) {
                builder.redirectErrorStream(true);
            } else {
                builder.redirectError(stderr.toFile());
            }
            Process process = builder.start();
            // Nothing to send: a child that reads stdin sees its end instead of waiting for input forever.
            process.getOutputStream().close();
            boolean finished = false;
            try {
                finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } finally {
                if (!finished) {
                    kill(process);
                }
            }
            if (!finished) {
                throw new AssertionError(String.join(" ", command) + "\ndid not finish within " + timeout.toSeconds()
                        + " s and was killed; it had printed:\n" + read(stdout) + read(stderr));
            }
            return new Output(process.exitValue(), read(stdout), read(stderr));
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Lenient decoding: a stray non-UTF-8 byte must not hide the output that explains a failure. */
    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
