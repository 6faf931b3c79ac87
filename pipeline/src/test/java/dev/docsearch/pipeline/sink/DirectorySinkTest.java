package dev.docsearch.pipeline.sink;

import dev.docsearch.core.embed.ModelInfo;
import dev.docsearch.core.embed.ModelStore;
import dev.docsearch.core.release.Manifest;
import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.pipeline.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Publishing into another directory (a mount elsewhere): model and release copied in, verified, CURRENT last. */
class DirectorySinkTest {

    @Test
    void aDirectorySinkGetsAVerifiableCopyAndItsOwnCurrent(@TempDir Path root, @TempDir Path mount) throws Exception {
        ModelInfo model = new ModelStore(root).installDefault();
        ReleaseStore local = new ReleaseStore(root);
        Manifest first = SmallReleases.write(local, model, 8, 1);

        CliRun.Result r = CliRun.run("publish", "--root", root.toString(), "--sink", mount.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        ReleaseStore remote = new ReleaseStore(mount);
        assertThat(remote.current()).contains(first.id());
        assertThat(remote.verify(first.id()).files()).isEqualTo(first.files());
        assertThat(new ModelStore(mount).locate(model.name(), model.sha256()).dimension()).isEqualTo(384);
        assertThat(local.current()).contains(first.id());
        try (Stream<Path> s = Files.list(mount.resolve("releases"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly(first.id()); // no temporaries left
        }

        Manifest second = SmallReleases.write(local, model, 6, 2);
        assertThat(CliRun.run("publish", "--root", root.toString(), "--sink", mount.toString()).code()).isZero();
        assertThat(remote.current()).contains(second.id());
        // The sink keeps what the artifact root keeps: the live release and the verified one before it, which a
        // rollback goes to, even with --keep 1 (a sink pruned by id alone would have dropped the first).
        CliRun.Result keepOne = CliRun.run("releases", "gc", "--keep", "1", "--root", root.toString(), "--sink",
                mount.toString());
        assertThat(keepOne.code()).as(keepOne.toString()).isZero();
        assertThat(local.ids()).containsExactly(first.id(), second.id());
        assertThat(remote.ids()).containsExactly(first.id(), second.id());
        // gc never deletes the newest verified release before the live one (what a rollback goes to): damaged in
        // both places, the first counts for nothing and goes.
        dev.docsearch.core.fixture.Corruption.flipByte(local.releaseDir(first.id()).resolve("chunks.dat"));
        dev.docsearch.core.fixture.Corruption.flipByte(remote.releaseDir(first.id()).resolve("chunks.dat"));
        CliRun.Result gc = CliRun.run("releases", "gc", "--keep", "1", "--root", root.toString(), "--sink", mount.toString());
        assertThat(gc.code()).as(gc.toString()).isZero();
        assertThat(remote.ids()).containsExactly(second.id());
        assertThat(local.ids()).containsExactly(second.id());
    }

    @Test
    void theArtifactRootAsItsOwnSinkOnlyFlipsCurrent(@TempDir Path root) throws Exception {
        ModelInfo model = new ModelStore(root).installDefault();
        ReleaseStore store = new ReleaseStore(root);
        Manifest m = SmallReleases.write(store, model, 4, 3);
        try (ReleaseSink sink = ReleaseSinks.open(null, root, S3Settings.defaults())) {
            assertThat(sink.isArtifactRoot()).isTrue();
            sink.publish(store, store.verified(m.id()), model);
            assertThat(sink.retainOnly(Set.of())).isEmpty(); // the root's own are pruned by the publisher, not twice
        }
        assertThat(store.current()).contains(m.id());
        try (ReleaseSink sink = ReleaseSinks.open(root.toString() + "/", root, S3Settings.defaults())) {
            assertThat(sink.isArtifactRoot()).isTrue();
        }
    }
}
