package dev.docsearch.pipeline.lock;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * Who holds an {@link UpdateLock}: written once into the lock file when the lock is created.
 *
 * @param token        random, unique to one acquisition: tells a holder whether the file is still its own
 * @param command      what the holder runs (e.g. {@code update})
 * @param user         the holder's OS user
 * @param host         the holder's host name
 * @param pid          the holder's process id
 * @param processStart when the holder's process started, or null when the OS does not say (guards against
 *                     a recycled pid)
 * @param acquired     when the lock was taken
 */
public record LockOwner(String token, String command, String user, String host, long pid, Instant processStart,
                        Instant acquired) {

    public LockOwner {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(acquired, "acquired");
    }

    /** This process, about to take the lock for {@code command}. */
    public static LockOwner self(String command, Instant now) {
        ProcessHandle me = ProcessHandle.current();
        return new LockOwner(UUID.randomUUID().toString(), command, System.getProperty("user.name", "unknown"),
                localHost(), me.pid(), me.info().startInstant().orElse(null), now);
    }

    /** The local host name as lock files record it. */
    public static String localHost() {
        return LocalHost.NAME;
    }

    /**
     * Read once: the name cannot change under a running process in any way that matters here. It is the kernel's
     * host name ({@code /proc/sys/kernel/hostname}, what {@code hostname} prints), else {@code $HOSTNAME}: no name
     * resolution, which can stall on a slow resolver and can answer differently in two JVMs of the same host
     * (a lock would then look foreign to the host that holds it). Only where neither exists (not Linux) does it
     * fall back to {@link InetAddress#getLocalHost()}, and then to {@code unknown-host}.
     */
    private static final class LocalHost {
        static final String NAME = lookUp();

        private static String lookUp() {
            String kernel = kernelHostName();
            if (kernel != null) {
                return kernel;
            }
            String env = System.getenv("HOSTNAME");
            if (env != null && !env.isBlank()) {
                return env.strip();
            }
            try {
                String resolved = InetAddress.getLocalHost().getHostName();
                return resolved == null || resolved.isBlank() ? "unknown-host" : resolved.strip();
            } catch (IOException | RuntimeException e) {
                return "unknown-host";
            }
        }

        private static String kernelHostName() {
            try {
                String name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
                return name.isEmpty() ? null : name;
            } catch (IOException | RuntimeException e) {
                return null; // not Linux, or /proc not mounted
            }
        }
    }

    /** The lock file's text: {@code key=value} lines. */
    public String toText() {
        return "token=" + token + "\n"
                + "command=" + command + "\n"
                + "user=" + user + "\n"
                + "host=" + host + "\n"
                + "pid=" + pid + "\n"
                + "processStart=" + (processStart == null ? "" : processStart) + "\n"
                + "acquired=" + acquired + "\n";
    }

    /** Parses a lock file's text; empty when it is incomplete or not a lock file (a writer mid-write). */
    public static Optional<LockOwner> parse(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
            String start = p.getProperty("processStart", "");
            return Optional.of(new LockOwner(p.getProperty("token"), p.getProperty("command"),
                    p.getProperty("user"), p.getProperty("host"), Long.parseLong(p.getProperty("pid")),
                    start.isBlank() ? null : Instant.parse(start), Instant.parse(p.getProperty("acquired"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether this owner is a process on this host that no longer runs (the pid is gone, or now
     * belongs to a process started at another time).
     */
    public boolean isDeadProcessOnThisHost() {
        if (!host.equals(localHost())) {
            return false;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return true;
        }
        Optional<Instant> started = handle.get().info().startInstant();
        // The OS reports start times rounded (to clock ticks); a recycled pid differs by far more.
        return processStart != null && started.isPresent()
                && Math.abs(started.get().toEpochMilli() - processStart.toEpochMilli()) > 2_000;
    }

    /** For messages: {@code pid 4242 on host h (user u, command update, since 2026-01-01T03:00:00Z)}. */
    public String describe() {
        return "pid " + pid + " on host " + host + " (user " + user + ", command " + command + ", since " + acquired + ")";
    }
}
