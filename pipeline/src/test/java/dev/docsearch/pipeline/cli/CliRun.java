package dev.docsearch.pipeline.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code docsearch} in this JVM (fast) or as a child process (to be killed), capturing what it prints. */
public final class CliRun {

    /** What a run printed and returned. */
    public record Result(int code, String out, String err) {
        /** The last {@code summary: } line of stdout (or stderr, where --json puts it). */
        public String summary() {
            for (String text : List.of(out, err)) {
                String[] lines = text.split("\n");
                for (int i = lines.length - 1; i >= 0; i--) {
                    if (lines[i].startsWith("summary: ")) {
                        return lines[i];
                    }
                }
            }
            throw new AssertionError("no summary line; out:\n" + out + "\nerr:\n" + err);
        }

        /** The integer value of {@code key=N} in the summary line. */
        public int figure(String key) {
            for (String part : summary().split(" ")) {
                if (part.startsWith(key + "=")) {
                    return Integer.parseInt(part.substring(key.length() + 1));
                }
            }
            throw new AssertionError("no " + key + " in " + summary());
        }

        /** The value of {@code key=...} in the summary line. */
        public String value(String key) {
            for (String part : summary().split(" ")) {
                if (part.startsWith(key + "=")) {
                    return part.substring(key.length() + 1);
                }
            }
            throw new AssertionError("no " + key + " in " + summary());
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private CliRun() {
    }

    /** Runs in this JVM with an empty environment. */
    public static Result run(String... args) {
        return run(Map.of(), args);
    }

    public static Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Docsearch.run(args, env, o, e);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Starts {@code docsearch} in a child JVM (this test classpath), stdout and stderr into {@code log}. */
    public static Process start(Path log, List<String> jvmOptions, String... args) throws java.io.IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Dai.djl.offline=true");
        cmd.add("-Daws.disableEc2Metadata=true");
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }

    /** Waits until {@code text} appears in the file (or the process ends, or time runs out). */
    public static boolean awaitText(Path log, String text, Process p, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (java.nio.file.Files.exists(log) && java.nio.file.Files.readString(log).contains(text)) {
                return true;
            }
            if (!p.isAlive()) {
                return java.nio.file.Files.readString(log).contains(text);
            }
            Thread.sleep(10);
        }
        return false;
    }
}
