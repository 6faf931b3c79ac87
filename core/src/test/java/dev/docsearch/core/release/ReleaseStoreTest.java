package dev.docsearch.core.release;

import dev.docsearch.core.fixture.Corruption;
import dev.docsearch.core.vector.VectorIndexOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReleaseStoreTest {

    @TempDir
    Path root;

    @Test
    void writesVerifiesPublishesAndOpensARelease() throws Exception {
        ReleaseStore store = new ReleaseStore(root);
        assertThat(store.current()).isEmpty();
        assertThat(store.ids()).isEmpty();

        Manifest m = TestReleases.write(store, 40);
        assertThat(m.chunks()).isEqualTo(40);
        assertThat(m.pages()).isEqualTo(20);
        assertThat(m.vectorIndex()).isEqualTo("Flat");
        assertThat(m.files()).extracting(Manifest.FileEntry::path)
                .contains("chunks.dat", "chunks.idx", "vectors.faiss")
                .anyMatch(p -> p.startsWith("keyword/"));
        assertThat(store.ids()).containsExactly(m.id());
        assertThat(store.current()).isEmpty(); // committing is not publishing

        store.publish(m.id());
        assertThat(store.current()).contains(m.id());
        assertThat(Files.readString(root.resolve("CURRENT"))).isEqualTo(m.id() + "\n");
        try (Release r = Release.open(store, m.id(), VectorIndexOptions.DEFAULT)) {
            assertThat(r.chunks().get(7)).isEqualTo(TestReleases.chunk(7));
            assertThat(r.vectors().search(TestReleases.vector(7), 1).get(0).ordinal()).isEqualTo(7);
            assertThat(r.keyword().size()).isEqualTo(40);
        }
        // No temporary files are left beside CURRENT.
        try (Stream<Path> files = Files.list(root)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("CURRENT", "releases");
        }
    }

    @Test
    void abandonedWriterLeavesNothingVisible() throws Exception {
        ReleaseStore store = new ReleaseStore(root);
        try (ReleaseWriter w = ReleaseWriter.begin(store, TestReleases.settings())) {
            w.add(TestReleases.chunk(0), TestReleases.vector(0));
        }
        assertThat(store.ids()).isEmpty();
        try (Stream<Path> files = Files.list(store.releasesDir())) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void refusesEmptyReleaseAndWrongDimension() throws Exception {
        ReleaseStore store = new ReleaseStore(root);
        try (ReleaseWriter w = ReleaseWriter.begin(store, TestReleases.settings())) {
            assertThatThrownBy(() -> w.add(TestReleases.chunk(0), new float[3])).hasMessageContaining("3 dimensions");
            assertThatThrownBy(w::commit).hasMessageContaining("no chunks");
        }
    }

    /** Each kind of damage a release can suffer, and the reason the store must give. */
    @Test
    void refusesTornTruncatedOrTamperedReleasesWithPreciseReasons() throws Exception {
        ReleaseStore store = new ReleaseStore(root);
        String live = TestReleases.write(store, 30).id();
        store.publish(live);

        assertRejected(store, dir -> Files.delete(dir.resolve("manifest.json")), "manifest.json is missing");
        assertRejected(store, dir -> Files.writeString(dir.resolve("manifest.json"), "{ not json"), "manifest.json is unreadable");
        assertRejected(store, dir -> Files.delete(dir.resolve("vectors.faiss")), "file vectors.faiss is missing");
        assertRejected(store, dir -> Corruption.truncateHalf(dir.resolve("vectors.faiss")), "file vectors.faiss has");
        assertRejected(store, dir -> Corruption.flipByte(dir.resolve("vectors.faiss")), "vectors.faiss has SHA-256");
        assertRejected(store, dir -> Corruption.truncateHalf(dir.resolve("chunks.dat")), "file chunks.dat has");
        assertRejected(store, dir -> Corruption.flipByte(dir.resolve("chunks.idx")), "chunks.idx has SHA-256");
        assertRejected(store, dir -> {
            try (Stream<Path> s = Files.list(dir.resolve("keyword"))) {
                Path segment = s.filter(p -> p.getFileName().toString().startsWith("segments_")).findFirst().orElseThrow();
                Corruption.flipByte(segment);
            }
        }, "has SHA-256");
        assertRejected(store, dir -> {
            String m = Files.readString(dir.resolve("manifest.json"));
            Files.writeString(dir.resolve("manifest.json"), m.replace("\"path\" : \"chunks.dat\"", "\"path\" : \"../../CURRENT\""));
        }, "invalid path");

        // The live release was never touched by any of this.
        assertThat(store.current()).contains(live);
        assertThat(store.verify(live).id()).isEqualTo(live);
    }

    private interface Damage {
        void apply(Path releaseDir) throws IOException;
    }

    private void assertRejected(ReleaseStore store, Damage damage, String reason) throws Exception {
        String id = TestReleases.write(store, 30).id();
        damage.apply(store.releaseDir(id));
        String before = store.current().orElseThrow();
        assertThatThrownBy(() -> store.verify(id)).isInstanceOf(ReleaseRejectedException.class).hasMessageContaining(reason);
        assertThatThrownBy(() -> store.publish(id)).isInstanceOf(ReleaseRejectedException.class).hasMessageContaining(reason);
        assertThatThrownBy(() -> Release.open(store, id, VectorIndexOptions.DEFAULT)).isInstanceOf(ReleaseRejectedException.class);
        assertThat(store.current()).contains(before);
    }

    @Test
    void pruneKeepsNewestAndLiveAndDeleteRefusesLive() throws Exception {
        ReleaseStore store = new ReleaseStore(root);
        String first = TestReleases.write(store, 4).id();
        store.publish(first);
        for (int i = 0; i < 4; i++) {
            TestReleases.write(store, 4);
        }
        List<String> ids = store.ids();
        assertThat(ids).hasSize(5);
        List<String> deleted = store.prune(2);
        assertThat(deleted).hasSize(2).doesNotContain(first);
        assertThat(store.ids()).containsExactly(first, ids.get(3), ids.get(4));
        assertThatThrownBy(() -> store.delete(first)).hasMessageContaining("live");
    }

    @Test
    void releaseIdsSortInCreationOrderEvenWithinOneMillisecond() {
        java.time.Instant frozen = java.time.Instant.parse("2026-01-01T03:00:00.123Z");
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add(ReleaseStore.newReleaseId(frozen));
        }
        assertThat(ids).doesNotHaveDuplicates().isSorted().allMatch(ReleaseStore::isReleaseId);
        assertThat(ReleaseStore.newReleaseId(java.time.Instant.now())).isGreaterThan(ids.get(49));
    }

    @Test
    void currentWithGarbageIsAClearError() throws Exception {
        Files.writeString(root.resolve("CURRENT"), "../../etc/passwd\n");
        assertThatThrownBy(() -> new ReleaseStore(root).current()).hasMessageContaining("does not hold a release id");
    }

    @Test
    void currentIsReadWithinABoundAndEveryBadOneIsNamed() throws Exception {
        ReleaseStore store = new ReleaseStore(root);
        Path current = root.resolve(ReleaseStore.CURRENT);
        String id = "20260101T030000123Z-1a2b3c";

        // What editors and scripts leave: a byte order mark, CRLF, trailing blanks.
        Files.write(current, ("\uFEFF" + id + " \r\n\t").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(store.current()).contains(id);

        // 256 MB of nothing (sparse): refused after reading a few hundred bytes, not read in full.
        try (RandomAccessFile f = new RandomAccessFile(current.toFile(), "rw")) {
            f.setLength(256L * 1024 * 1024);
        }
        assertThatThrownBy(store::current).isInstanceOf(IOException.class)
                .hasMessageContaining("longer than " + ReleaseStore.MAX_CURRENT_BYTES + " bytes");

        Files.write(current, new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, 0x00});
        assertThatThrownBy(store::current).isInstanceOf(IOException.class).hasMessageContaining("not UTF-8 text");

        Files.writeString(current, "not-an-id\u0007\n");
        assertThatThrownBy(store::current).isInstanceOf(IOException.class)
                .hasMessageContaining("does not hold a release id: 'not-an-id?'");
    }

    @Test
    void pruneCountsCorruptReleasesForNothingAndKeepsTheLastGoodOne() throws Exception {
        ReleaseStore store = new ReleaseStore(root);
        String good = TestReleases.write(store, 4).id();
        String live = TestReleases.write(store, 4).id();
        store.publish(live);
        List<String> corrupt = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = TestReleases.write(store, 4).id();
            Corruption.flipByte(store.releaseDir(id).resolve("chunks.dat"));
            corrupt.add(id);
        }
        // Corrupt copies with later ids: by id alone, --keep 3 would keep them and delete the only other good one.
        assertThat(store.prune(3)).containsExactlyInAnyOrderElementsOf(corrupt);
        assertThat(store.ids()).containsExactly(good, live);

        // Even keep=1 keeps what a rollback would go to.
        assertThat(store.prune(1)).isEmpty();
        assertThat(store.ids()).containsExactly(good, live);
    }
}
