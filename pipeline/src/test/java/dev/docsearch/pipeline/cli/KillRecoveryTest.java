package dev.docsearch.pipeline.cli;

import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.pipeline.fixture.DocsSiteFixture;
import dev.docsearch.pipeline.lock.LockOwner;
import dev.docsearch.pipeline.lock.UpdateLock;
import dev.docsearch.pipeline.sink.PausePoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An {@code update} process SIGKILLed during its build or its publish: the next run takes over the lock the dead
 * process left (same host, pid gone), cleans up, and publishes; {@code CURRENT} names a complete release
 * throughout.
 */
class KillRecoveryTest {

    /** A guide of which the bundled sample holds 8 small pages (SmallSite): the same site with either corpus. */
    private static final String GUIDE = "amazon-cloudwatch-logs-user-guide";

    @Test
    void killedWhileEmbeddingTheNextRunRecovers(@TempDir Path root) throws Exception {
        try (DocsSiteFixture site = SmallSite.start(8, GUIDE)) {
            List<String> flags = SmallSite.updateFlags(root, site);
            // The child pauses in the middle of its build (a batch embedded, no release written yet) and is killed
            // there: however fast the machine, it cannot get to commit or publish first.
            long childPid = killedAt(PausePoint.EMBEDDING, root,
                    SmallSite.args("update", SmallSite.updateFlags(root, site, 1)));
            ReleaseStore store = new ReleaseStore(root);
            assertThat(store.current()).isEmpty();
            assertThat(store.ids()).isEmpty();
            LockOwner left = LockOwner.parse(Files.readString(root.resolve(UpdateLock.FILE))).orElseThrow();
            assertThat(left.pid()).isEqualTo(childPid);

            CliRun.Result next = SmallSite.updateSucceeds(flags);
            assertThat(next.figure("pages_added")).isEqualTo(8);
            String id = next.value("release");
            assertThat(store.current()).contains(id);
            store.verify(id);
            assertThat(root.resolve(UpdateLock.FILE)).doesNotExist();
            assertThat(stagingDirs(root)).isEmpty();
        }
    }

    @Test
    void killedBeforeFlippingCurrentTheNextRunPublishesWhatWasBuilt(@TempDir Path root) throws Exception {
        try (DocsSiteFixture site = SmallSite.start(6, GUIDE)) {
            List<String> flags = SmallSite.updateFlags(root, site);
            String live = SmallSite.updateSucceeds(flags).value("release");
            site.modifyPage(site.pageIds().get(2), md -> md + "\nA paragraph added before the crash.\n");

            killedAt(PausePoint.BEFORE_CURRENT, root, SmallSite.args("update", flags));
            ReleaseStore store = new ReleaseStore(root);
            assertThat(store.current()).contains(live); // the flip never happened
            store.verify(live);
            assertThat(store.ids()).hasSize(2);
            String built = store.ids().get(1);
            assertThat(root.resolve(UpdateLock.FILE)).exists();

            site.resetCounts();
            CliRun.Result next = SmallSite.updateSucceeds(flags);
            // The release the killed run built is published as it is: nothing fetched, nothing built again.
            assertThat(next.value("release")).isEqualTo(built);
            assertThat(next.figure("pages_changed")).isEqualTo(1);
            assertThat(site.totalPageRequests()).isZero();
            assertThat(store.current()).contains(built);
            assertThat(store.ids()).containsExactly(live, built);
            assertThat(root.resolve(UpdateLock.FILE)).doesNotExist();
        }
    }

    @Test
    void killedBetweenTheFlipAndThePruneTheNextRunPrunesWithNothingToPublish(@TempDir Path root) throws Exception {
        try (DocsSiteFixture site = SmallSite.start(6, GUIDE)) {
            List<String> flags = new java.util.ArrayList<>(SmallSite.updateFlags(root, site));
            flags.addAll(List.of("--keep", "1"));
            SmallSite.updateSucceeds(flags);
            site.modifyPage(site.pageIds().get(1), md -> md + "\nA second paragraph.\n");
            SmallSite.updateSucceeds(flags);
            site.modifyPage(site.pageIds().get(2), md -> md + "\nA third paragraph.\n");

            killedAt(PausePoint.BEFORE_PRUNE, root, SmallSite.args("update", flags));
            ReleaseStore store = new ReleaseStore(root);
            List<String> ids = store.ids();
            assertThat(ids).hasSize(3);
            assertThat(store.current()).contains(ids.get(2)); // flipped, never pruned

            CliRun.Result next = CliRun.run(SmallSite.args("update", flags));
            assertThat(next.code()).as(next.toString()).isEqualTo(ExitCode.NOTHING_TO_PUBLISH);
            // Pruned all the same: the live release and the one a rollback goes to.
            assertThat(store.ids()).containsExactly(ids.get(1), ids.get(2));
        }
    }

    private static List<Path> stagingDirs(Path root) throws Exception {
        Path releases = root.resolve("releases");
        if (!Files.isDirectory(releases)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(releases)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
    }

    /**
     * Runs {@code args} in a child JVM until it pauses at {@code point}, then SIGKILLs it there.
     *
     * @return the killed process's pid
     */
    private static long killedAt(String point, Path root, String[] args) throws Exception {
        Path log = root.resolveSibling(root.getFileName() + "-child.log");
        Process child = CliRun.start(log, List.of("-D" + PausePoint.PROPERTY + "=" + point), args);
        try {
            assertThat(CliRun.awaitText(log, "paused at " + point, child, 120)).as("child log: %s", log).isTrue();
            assertThat(child.isAlive()).as(Files.readString(log)).isTrue();
        } finally {
            child.destroyForcibly(); // SIGKILL
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        return child.pid();
    }
}
