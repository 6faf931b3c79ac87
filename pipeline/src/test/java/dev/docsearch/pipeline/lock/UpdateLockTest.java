package dev.docsearch.pipeline.lock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The update lock on a real file system: exclusive creation, heartbeat, takeover of stale and dead holders. */
class UpdateLockTest {

    private static final LockSettings DEFAULTS = LockSettings.defaults();

    private static Path lockFile(Path root) {
        return root.resolve(UpdateLock.FILE);
    }

    private static void writeLock(Path root, LockOwner owner, Instant modified) throws IOException {
        Files.writeString(lockFile(root), owner.toText(), StandardCharsets.UTF_8);
        Files.setLastModifiedTime(lockFile(root), FileTime.from(modified));
    }

    @Test
    void theLockFileNamesItsHolderAndIsGoneAfterRelease(@TempDir Path root) throws Exception {
        try (UpdateLock lock = UpdateLock.acquire(root, "update", DEFAULTS)) {
            LockOwner owner = LockOwner.parse(Files.readString(lockFile(root))).orElseThrow();
            assertThat(owner.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(owner.host()).isEqualTo(LockOwner.localHost());
            assertThat(owner.command()).isEqualTo("update");
            assertThat(owner.token()).isEqualTo(lock.owner().token());
            lock.checkHeld();
        }
        assertThat(lockFile(root)).doesNotExist();
    }

    @Test
    void aLiveHolderKeepsTheLockAndIsNamedInTheMessage(@TempDir Path root) throws Exception {
        try (UpdateLock held = UpdateLock.acquire(root, "update", DEFAULTS)) {
            assertThatThrownBy(() -> UpdateLock.acquire(root, "publish", DEFAULTS))
                    .isInstanceOf(LockHeldException.class)
                    .hasMessageContaining("pid " + ProcessHandle.current().pid())
                    .hasMessageContaining("host " + LockOwner.localHost())
                    .hasMessageContaining("command update")
                    .hasMessageContaining("2 h");
            held.checkHeld();
        }
    }

    @Test
    void aDeadHolderOnThisHostIsTakenOverAtOnce(@TempDir Path root) throws Exception {
        Process gone = new ProcessBuilder("true").start();
        // Its start time too, when the OS still tells: should the pid be reused meanwhile, the holder is still dead.
        Instant goneStart = gone.info().startInstant().orElse(null);
        assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
        LockOwner dead = new LockOwner("dead-token", "update", "root", LockOwner.localHost(), gone.pid(), goneStart,
                Instant.now());
        writeLock(root, dead, Instant.now()); // a fresh heartbeat does not save a dead process
        try (UpdateLock lock = UpdateLock.acquire(root, "update", DEFAULTS)) {
            assertThat(lock.owner().pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(Files.readString(lockFile(root))).contains(lock.owner().token());
        }
        try (var leftovers = Files.list(root)) {
            assertThat(leftovers).isEmpty(); // the stale file moved aside was deleted
        }
    }

    @Test
    void aRecycledPidIsNotMistakenForTheHolder(@TempDir Path root) throws Exception {
        // Our own pid, but a process start time long before ours: the holder died and its pid was reused.
        LockOwner recycled = new LockOwner("old-token", "update", "root", LockOwner.localHost(),
                ProcessHandle.current().pid(), Instant.parse("2001-01-01T00:00:00Z"), Instant.now());
        writeLock(root, recycled, Instant.now());
        try (UpdateLock lock = UpdateLock.acquire(root, "update", DEFAULTS)) {
            assertThat(lock.owner().token()).isNotEqualTo("old-token");
        }
    }

    @Test
    void anotherHostsHolderIsTakenOverOnlyWhenItsHeartbeatIsStale(@TempDir Path root) throws Exception {
        LockOwner remote = new LockOwner("remote-token", "update", "ec2-user", "some-other-host", 4242, null,
                Instant.now().minus(Duration.ofHours(5)));
        writeLock(root, remote, Instant.now().minus(Duration.ofMinutes(90)));
        assertThatThrownBy(() -> UpdateLock.acquire(root, "update", DEFAULTS))
                .isInstanceOf(LockHeldException.class)
                .hasMessageContaining("pid 4242 on host some-other-host")
                .satisfies(e -> assertThat(((LockHeldException) e).holder().token()).isEqualTo("remote-token"));

        Files.setLastModifiedTime(lockFile(root), FileTime.from(Instant.now().minus(Duration.ofHours(3))));
        try (UpdateLock lock = UpdateLock.acquire(root, "update", DEFAULTS)) {
            assertThat(Files.readString(lockFile(root))).contains(lock.owner().token());
        }
        // A longer stale period keeps a 3-hour-old heartbeat valid.
        writeLock(root, remote, Instant.now().minus(Duration.ofHours(3)));
        assertThatThrownBy(() -> UpdateLock.acquire(root, "update", LockSettings.staleAfter(Duration.ofHours(4))))
                .isInstanceOf(LockHeldException.class);
    }

    @Test
    void anUnreadableLockFileIsHeldBrieflyThenTakenOver(@TempDir Path root) throws Exception {
        Files.writeString(lockFile(root), ""); // a holder killed between creating and writing its file
        assertThatThrownBy(() -> UpdateLock.acquire(root, "update", DEFAULTS))
                .isInstanceOf(LockHeldException.class).hasMessageContaining("holder unknown");
        Files.setLastModifiedTime(lockFile(root), FileTime.from(Instant.now().minus(Duration.ofMinutes(2))));
        try (UpdateLock lock = UpdateLock.acquire(root, "update", DEFAULTS)) {
            assertThat(lock.owner()).isNotNull();
        }
    }

    @Test
    void theHeartbeatKeepsTheLockFresh(@TempDir Path root) throws Exception {
        LockSettings fast = new LockSettings(Duration.ofSeconds(3), Duration.ofMillis(50));
        try (UpdateLock lock = UpdateLock.acquire(root, "update", fast)) {
            Instant old = Instant.now().minus(Duration.ofHours(1));
            Files.setLastModifiedTime(lockFile(root), FileTime.from(old));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (Files.getLastModifiedTime(lockFile(root)).toInstant().equals(old) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(Files.getLastModifiedTime(lockFile(root)).toInstant())
                    .isAfter(Instant.now().minus(Duration.ofMinutes(1)));
            lock.checkHeld();
        }
    }

    @Test
    void aHolderWhoseLockWasTakenOverFailsItsCheckAndLeavesTheNewLockAlone(@TempDir Path root) throws Exception {
        UpdateLock first = UpdateLock.acquire(root, "update", DEFAULTS);
        try {
            LockOwner usurper = new LockOwner("usurper", "update", "root", "other-host", 7, null, Instant.now());
            Files.delete(lockFile(root));
            writeLock(root, usurper, Instant.now());
            assertThatThrownBy(first::checkHeld).isInstanceOf(IOException.class)
                    .hasMessageContaining("lost the update lock").hasMessageContaining("other-host");
        } finally {
            first.close();
        }
        assertThat(Files.readString(lockFile(root))).contains("token=usurper");
    }

    @Test
    void ofManyContendersForAStaleLockExactlyOneWins(@TempDir Path root) throws Exception {
        LockOwner remote = new LockOwner("remote", "update", "u", "far-away-host", 1, null, Instant.now());
        writeLock(root, remote, Instant.now().minus(Duration.ofHours(3)));
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<UpdateLock>> attempts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                attempts.add(pool.submit(() -> {
                    go.await();
                    try {
                        return UpdateLock.acquire(root, "update", DEFAULTS);
                    } catch (LockHeldException e) {
                        return null;
                    }
                }));
            }
            go.countDown();
            List<UpdateLock> winners = new ArrayList<>();
            for (Future<UpdateLock> f : attempts) {
                UpdateLock l = f.get(30, TimeUnit.SECONDS);
                if (l != null) {
                    winners.add(l);
                }
            }
            assertThat(winners).hasSize(1);
            assertThat(Files.readString(lockFile(root))).contains(winners.get(0).owner().token());
            winners.get(0).close();
        } finally {
            pool.shutdownNow();
        }
    }
}
