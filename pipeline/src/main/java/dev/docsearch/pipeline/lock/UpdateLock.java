package dev.docsearch.pipeline.lock;

import dev.docsearch.core.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One run at a time per artifact root, across processes and hosts sharing the root over NFS (S3 Files).
 *
 * <p>The lock is the file {@code <root>/update.lock}, created exclusively ({@code O_CREAT|O_EXCL}, which NFS
 * v4 honours) and holding its {@link LockOwner}. While held, a heartbeat thread refreshes the file's
 * modification time. Another run takes the lock over only when it is stale: its holder is a process of this
 * host that is gone (a SIGKILLed run leaves its file behind), or its heartbeat is older than
 * {@link LockSettings#staleAfter()}. Contenders take a stale lock over one at a time: each first creates the
 * marker {@code update.lock.takeover} exclusively (a marker left by a killed contender is removed after a minute,
 * or at once when its process is gone), checks that the lock file is still the very one it judged stale, and
 * only then renames it aside and deletes it; then all of them race to create a new lock file, which one wins.
 * So a contender never removes a lock another has just created. Should it still find that it moved a live lock
 * aside, it puts it back with a hard link, which, unlike a rename, never replaces a lock created meanwhile. A
 * holder whose file was taken over notices at its next heartbeat, and {@link #checkHeld()} then fails, so it
 * never publishes over the new holder. {@link #close()} deletes the file if it is still this holder's.
 */
public final class UpdateLock implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(UpdateLock.class);

    /** The lock file's name under the artifact root. */
    public static final String FILE = "update.lock";
    /** The marker a contender holds while it takes a stale lock over, next to the lock file. */
    static final String TAKEOVER_MARKER = FILE + ".takeover";
    private static final Duration INCOMPLETE_GRACE = Duration.ofMinutes(1);

    private final Path file;
    private final LockOwner owner;
    private final ScheduledExecutorService heartbeat;
    private volatile String lost;

    private UpdateLock(Path file, LockOwner owner, Duration beat) {
        this.file = file;
        this.owner = owner;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "update-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(1, beat.toMillis());
        heartbeat.scheduleWithFixedDelay(this::beat, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Takes the lock of an artifact root (creating the root if needed).
     *
     * @param command what the caller runs, recorded for whoever finds the lock held
     * @throws LockHeldException when another live run holds it
     * @throws IOException       when the lock file cannot be created (read-only root, disk full)
     */
    public static UpdateLock acquire(Path root, String command, LockSettings settings)
            throws LockHeldException, IOException {
        return acquire(root, command, settings, Clock.systemUTC());
    }

    static UpdateLock acquire(Path root, String command, LockSettings settings, Clock clock)
            throws LockHeldException, IOException {
        Files.createDirectories(root);
        Path file = root.resolve(FILE).toAbsolutePath().normalize();
        for (int attempt = 0; ; attempt++) {
            LockOwner me = LockOwner.self(command, clock.instant());
            if (tryCreate(file, me.toText())) {
                log.info("update lock acquired file={} pid={} host={}", file, me.pid(), me.host());
                return new UpdateLock(file, me, settings.heartbeat());
            }
            Existing existing = read(file);
            if (existing == null) {
                continue; // released between our attempts: try again
            }
            Duration age = Duration.between(existing.modified(), clock.instant());
            if (age.isNegative()) {
                age = Duration.ZERO;
            }
            String staleReason = staleReason(existing, age, settings);
            if (staleReason == null || attempt >= 3) {
                throw new LockHeldException(file, existing.owner().orElse(null), age, settings.staleAfter());
            }
            takeOver(file, existing, staleReason, me, clock);
        }
    }

    /** Fails when another run has taken this lock over (this run must not publish then). */
    public void checkHeld() throws IOException {
        beat();
        if (lost != null) {
            throw new IOException("lost the update lock " + file + ": " + lost);
        }
    }

    public LockOwner owner() {
        return owner;
    }

    public Path file() {
        return file;
    }

    /** Stops the heartbeat and deletes the lock file if it is still this run's. */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        try {
            heartbeat.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Existing existing = read(file);
            if (existing != null && existing.owner().map(o -> o.token().equals(owner.token())).orElse(false)) {
                Files.deleteIfExists(file);
                log.info("update lock released file={}", file);
            } else {
                log.warn("update lock {} is no longer ours at release; left as it is", file);
            }
        } catch (IOException e) {
            log.warn("could not release the update lock {}: {}", file, e.toString());
        }
    }

    private synchronized void beat() {
        if (lost != null) {
            return;
        }
        try {
            Existing existing = read(file);
            if (existing == null) {
                lost = "the lock file was removed";
            } else if (existing.owner().map(o -> !o.token().equals(owner.token())).orElse(true)) {
                lost = "the lock was taken over by " + existing.owner().map(LockOwner::describe).orElse("another run");
            } else {
                Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
                return;
            }
            log.error("update lock {} lost: {}", file, lost);
        } catch (IOException e) {
            // A transient NFS hiccup: the next beat tries again; staleness takes hours.
            log.warn("update lock heartbeat failed for {}: {}", file, e.toString());
        }
    }

    private record Existing(Optional<LockOwner> owner, String text, Instant modified) {
    }

    /** Creates {@code file} holding {@code content}, exclusively; false when it exists already. */
    private static boolean tryCreate(Path file, String content) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            return false;
        }
        try (ch) {
            ByteBuffer text = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
            while (text.hasRemaining()) {
                ch.write(text);
            }
            ch.force(true);
            return true;
        } catch (IOException e) {
            // A full disk lets us create the file but not fill it: an empty lock must not block the next run.
            Files.deleteIfExists(file);
            throw e;
        }
    }

    private static Existing read(Path file) throws IOException {
        try {
            Instant modified = Files.getLastModifiedTime(file).toInstant();
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return new Existing(LockOwner.parse(text), text, modified);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static String staleReason(Existing existing, Duration age, LockSettings settings) {
        if (existing.owner().isPresent() && existing.owner().get().isDeadProcessOnThisHost()) {
            return "its holder, " + existing.owner().get().describe() + ", is no longer running";
        }
        if (existing.owner().isEmpty() && age.compareTo(INCOMPLETE_GRACE) > 0) {
            // A holder writes its file within microseconds of creating it; an unreadable one this old was
            // left by a process killed in between.
            return "its lock file has been unreadable for " + format(age);
        }
        if (age.compareTo(settings.staleAfter()) > 0) {
            return "no heartbeat for " + format(age) + " (stale after " + format(settings.staleAfter()) + ")";
        }
        return null;
    }

    /**
     * Removes the stale lock {@code stale} so that the contenders can race to create a new one, unless it changed
     * since it was judged stale (released, taken over, or its holder beat again): then the caller judges afresh.
     * Only the contender holding the takeover marker does this; the others return at once and try again.
     */
    private static void takeOver(Path file, Existing stale, String reason, LockOwner me, Clock clock)
            throws IOException {
        Path marker = file.resolveSibling(TAKEOVER_MARKER);
        if (!tryCreate(marker, me.toText())) {
            removeIfAbandoned(marker, clock);
            return; // another contender is taking the lock over: try again, and find it taken or free
        }
        try {
            Existing now = read(file);
            if (now == null || !now.text().equals(stale.text()) || !now.modified().equals(stale.modified())) {
                log.info("update lock {} changed while it was being taken over; judged again", file);
                return;
            }
            moveAsideAndDelete(file, stale, reason);
        } finally {
            releaseMarker(marker, me);
        }
    }

    private static void moveAsideAndDelete(Path file, Existing stale, String reason) throws IOException {
        Path aside = file.resolveSibling(FILE + ".stale-" + UUID.randomUUID());
        try {
            AtomicFiles.rename(file, aside);
        } catch (NoSuchFileException e) {
            return; // released meanwhile
        }
        try {
            String movedText = Files.readString(aside, StandardCharsets.UTF_8);
            if (!movedText.equals(stale.text())) {
                // Not the stale lock but a live one (which the marker should have made impossible, unless a
                // contender removed a marker it wrongly took for abandoned): it goes back where it was, and we
                // try again (and will find it held).
                restore(file, aside, movedText);
                return;
            }
            log.warn("update lock {} taken over: {}", file, reason);
        } finally {
            Files.deleteIfExists(aside);
        }
    }

    /**
     * Puts a live lock moved aside by mistake back at {@code file}, unless a new lock was created there meanwhile:
     * then that one's holder keeps it, and the lock moved aside is lost (its holder's next heartbeat or
     * {@link #checkHeld()} fails). Restoring with a rename would silently replace that new lock: two holders.
     */
    private static void restore(Path file, Path aside, String text) throws IOException {
        try {
            Files.createLink(file, aside); // link(2): fails when file exists, never replaces it
            log.info("update lock {} was taken over by another run first; put back", file);
            return;
        } catch (FileAlreadyExistsException e) {
            log.warn("update lock {}: a new lock was created while a live one was moved aside; the new one holds",
                    file);
            return;
        } catch (UnsupportedOperationException | IOException e) {
            log.info("update lock {}: no hard link here ({}); putting the lock back by exclusive creation", file,
                    e.toString());
        }
        // Where the file system has no hard links: an exclusive create, which never replaces a lock either.
        if (tryCreate(file, text)) {
            log.info("update lock {} was taken over by another run first; put back", file);
        } else {
            log.warn("update lock {}: a new lock was created while a live one was moved aside; the new one holds",
                    file);
        }
    }

    /** Deletes a takeover marker whose contender was killed before it could delete it. */
    private static void removeIfAbandoned(Path marker, Clock clock) throws IOException {
        Existing m = read(marker);
        if (m == null) {
            return;
        }
        Duration age = Duration.between(m.modified(), clock.instant());
        boolean holderGone = m.owner().map(LockOwner::isDeadProcessOnThisHost).orElse(false);
        if (holderGone || age.compareTo(INCOMPLETE_GRACE) > 0) {
            Files.deleteIfExists(marker);
            log.warn("update lock takeover marker {} was abandoned by {}; removed", marker,
                    m.owner().map(LockOwner::describe).orElse("a contender (unreadable marker)"));
        }
    }

    private static void releaseMarker(Path marker, LockOwner me) {
        try {
            Existing m = read(marker);
            if (m != null && m.owner().map(o -> o.token().equals(me.token())).orElse(false)) {
                Files.deleteIfExists(marker);
            }
        } catch (IOException e) {
            // Removed as abandoned after a minute at the latest.
            log.warn("could not remove the update lock takeover marker {}: {}", marker, e.toString());
        }
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        if (s >= 3600 && s % 3600 == 0) {
            return s / 3600 + " h";
        }
        if (s >= 60 && s % 60 == 0) {
            return s / 60 + " min";
        }
        return s + " s";
    }
}
