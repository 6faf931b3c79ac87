package dev.docsearch.pipeline.cli;

import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.pipeline.fixture.DocsSiteFixture;
import dev.docsearch.pipeline.lock.LockOwner;
import dev.docsearch.pipeline.lock.UpdateLock;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the weekly job does when things go wrong: a broken sitemap, a full disk, a read-only or misplaced root,
 * another run holding the lock. It fails with one clear line and the right exit code, and never leaves
 * {@code CURRENT} naming anything but a complete release.
 */
class UpdateFaultsTest {

    private static final String GUIDE = "aws-lambda-developer-guide";

    @Test
    void aBrokenSitemapPublishesNothingAndLeavesTheCorpusAsItWas(@TempDir Path root) throws Exception {
        try (DocsSiteFixture site = SmallSite.start(4, GUIDE)) {
            List<String> flags = SmallSite.updateFlags(root, site);
            String live = SmallSite.updateSucceeds(flags).value("release");
            byte[] corpus = Files.readAllBytes(root.resolve("corpus/index.json"));
            site.modifyPage(site.pageIds().get(0), md -> md + "\nA change that must not be published.\n");

            for (DocsSiteFixture.SitemapFault fault : List.of(DocsSiteFixture.SitemapFault.HTTP_500,
                    DocsSiteFixture.SitemapFault.GARBAGE, DocsSiteFixture.SitemapFault.HTML_ERROR_PAGE)) {
                site.clearFaults();
                site.sitemapFault(GUIDE, fault);
                CliRun.Result r = CliRun.run(SmallSite.args("update", flags));
                assertThat(r.code()).as(fault + ": " + r).isEqualTo(ExitCode.FAILED);
                assertThat(r.err().strip().lines()).as(fault + ": one line").hasSize(1);
                assertThat(r.err()).contains("docsearch update: error: crawl aborted, corpus left unchanged")
                        .contains(site.sitemapUrl(GUIDE)).doesNotContain("Exception").doesNotContain("\tat ");
                assertThat(r.summary()).isEqualTo("summary: failed exit=1");
                assertThat(new ReleaseStore(root).current()).contains(live);
                assertThat(new ReleaseStore(root).ids()).containsExactly(live);
                assertThat(Files.readAllBytes(root.resolve("corpus/index.json"))).isEqualTo(corpus);
                assertThat(root.resolve(UpdateLock.FILE)).doesNotExist();
            }
            // Once the sitemap recovers, the held-back change goes out.
            site.clearFaults();
            CliRun.Result recovered = SmallSite.updateSucceeds(flags);
            assertThat(recovered.figure("pages_changed")).isEqualTo(1);
        }
    }

    @Test
    void aLockHeldByALiveRunIsExitCodeFourNamingTheHolder(@TempDir Path root) throws Exception {
        LockOwner holder = LockOwner.self("update", Instant.now()); // this very JVM: alive
        Files.writeString(root.resolve(UpdateLock.FILE), holder.toText());
        for (String[] args : List.of(
                new String[]{"update", "--root", root.toString(), "--source", "dir:" + root},
                new String[]{"crawl", "--root", root.toString(), "--source", "dir:" + root},
                new String[]{"build", "--root", root.toString()},
                new String[]{"publish", "--root", root.toString()},
                new String[]{"releases", "gc", "--root", root.toString()})) {
            CliRun.Result r = CliRun.run(args);
            assertThat(r.code()).as(String.join(" ", args) + ": " + r).isEqualTo(ExitCode.LOCK_HELD);
            assertThat(r.err().strip().lines()).hasSize(1);
            assertThat(r.err()).contains("another run holds the update lock")
                    .contains("pid " + ProcessHandle.current().pid() + " on host " + LockOwner.localHost())
                    .contains("command update");
        }
        assertThat(Files.readString(root.resolve(UpdateLock.FILE))).isEqualTo(holder.toText());
    }

    @Test
    void aLockLeftByADeadProcessIsTakenOver(@TempDir Path root) throws Exception {
        Process gone = new ProcessBuilder("true").start();
        // Its start time too, when the OS still tells: should the pid be reused meanwhile, the holder is still dead.
        Instant goneStart = gone.info().startInstant().orElse(null);
        assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Files.writeString(root.resolve(UpdateLock.FILE), new LockOwner("t", "update", "root", LockOwner.localHost(),
                gone.pid(), goneStart, Instant.now()).toText());
        CliRun.Result r = CliRun.run("releases", "gc", "--root", root.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(root.resolve(UpdateLock.FILE)).doesNotExist();
    }

    @Test
    void aRootThatIsAFileIsAClearError(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("artifacts");
        Files.writeString(root, "not a directory");
        CliRun.Result r = CliRun.run("update", "--root", root.toString(), "--source", "dir:" + dir, "--progress", "none");
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains(root.toString()).doesNotContain("Exception");
    }

    @Test
    void aReadOnlyRootIsAClearErrorAndChangesNothing(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("ro");
        Files.createDirectories(root);
        onTmpfs(root, "ro,size=1m", "cannot mount a read-only tmpfs here (needs root)", () -> {
            CliRun.Result r = CliRun.run("update", "--root", root.toString(), "--source", "dir:" + dir, "--progress", "none");
            assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.FAILED);
            assertThat(r.err().strip().lines()).hasSize(1);
            assertThat(r.err()).contains("Read-only file system").contains(root.toString()).doesNotContain("Exception");
            try (var entries = Files.list(root)) {
                assertThat(entries).isEmpty();
            }
        });
    }

    @Test
    void aFullDiskFailsTheUpdateClearlyAndTheLiveReleaseStays(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("small-disk");
        Files.createDirectories(root);
        // Room for the model (86 MB) and a small release, not for much more.
        onTmpfs(root, "size=120m", "cannot mount a tmpfs here (needs root)", () -> {
            try (DocsSiteFixture site = SmallSite.start(3, GUIDE)) {
                List<String> flags = SmallSite.updateFlags(root, site);
                String live = SmallSite.updateSucceeds(flags).value("release");

                site.modifyPage(site.pageIds().get(1), md -> md + "\nNew text that needs room on the disk.\n");
                Path filler = root.resolve("filler");
                fill(filler);
                CliRun.Result full = CliRun.run(SmallSite.args("update", flags));
                assertThat(full.code()).as(full.toString()).isEqualTo(ExitCode.FAILED);
                assertThat(full.err().strip().lines()).hasSize(1);
                assertThat(full.err()).contains("No space left on device").doesNotContain("Exception");
                ReleaseStore store = new ReleaseStore(root);
                assertThat(store.current()).contains(live);
                store.verify(live);

                Files.delete(filler);
                CliRun.Result again = SmallSite.updateSucceeds(flags);
                assertThat(again.figure("pages_changed")).isEqualTo(1);
                store.verify(again.value("release"));
                assertThat(store.current()).contains(again.value("release"));
            }
        });
    }

    /** Writes zeros until the file system is full (tmpfs allocates on write). */
    private static void fill(Path file) throws IOException {
        writeZerosUntilFull(file, 1 << 20, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        // Smaller writes take the last few blocks too.
        writeZerosUntilFull(file, 512, StandardOpenOption.APPEND);
    }

    private static void writeZerosUntilFull(Path file, int blockSize, OpenOption... options) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate(blockSize);
        try (FileChannel ch = FileChannel.open(file, options)) {
            while (true) {
                zeros.clear();
                ch.write(zeros);
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
    }

    /** A test body that may throw anything. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /**
     * Runs {@code body} with a tmpfs mounted on {@code dir} (the test is skipped, with {@code unavailable}, when
     * it cannot be mounted), then unmounts it, so that {@code @TempDir} can delete {@code dir} afterwards. A
     * failed unmount fails the test, naming the mount, and never hides the body's own failure.
     */
    static void onTmpfs(Path dir, String options, String unavailable, Body body) throws Exception {
        Command mount = command(List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString()));
        Assumptions.assumeTrue(mount.succeeded(), unavailable + ": " + mount);
        try {
            body.run();
        } catch (Throwable failure) {
            try {
                unmount(dir);
            } catch (Throwable unmountFailure) {
                failure.addSuppressed(unmountFailure);
            }
            throw failure;
        }
        unmount(dir);
    }

    /** Unmounts {@code dir}; when the file system is busy, detaches it lazily; fails clearly when neither works. */
    static void unmount(Path dir) throws Exception {
        Command plain = command(List.of("umount", dir.toString()));
        if (plain.succeeded()) {
            return;
        }
        Command lazy = command(List.of("umount", "-l", dir.toString()));
        if (!lazy.succeeded()) {
            throw new AssertionError("cannot unmount the tmpfs on " + dir + " (the @TempDir cleanup will fail too): "
                    + plain + "; then " + lazy);
        }
    }

    /** How a command ended: its exit code (-1 when it had to be killed) and what it printed. */
    record Command(List<String> argv, int exit, String output) {
        boolean succeeded() {
            return exit == 0;
        }

        @Override
        public String toString() {
            return "'" + String.join(" ", argv) + "' " + (exit < 0 ? "timed out" : "exited " + exit)
                    + (output.isBlank() ? "" : ": " + output.strip());
        }
    }

    /**
     * Runs a command with its output going to a file (a chatty or hung command can neither block on a full pipe
     * nor hang the build): waits up to 20 s, then kills it.
     */
    static Command command(List<String> argv) throws Exception {
        Path out = Files.createTempFile("docsearch-cmd", ".log");
        try {
            Process p;
            try {
                p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            } catch (IOException e) {
                return new Command(argv, 127, String.valueOf(e.getMessage())); // no such command here
            }
            int exit;
            if (p.waitFor(20, TimeUnit.SECONDS)) {
                exit = p.exitValue();
            } else {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                exit = -1;
            }
            return new Command(argv, exit, Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
