package dev.docsearch.core.release;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VerifiedReleaseTest {

    @TempDir
    Path root;

    @Test
    void aVerifiedReleaseIsPublishedWithoutReadingItsFilesAgain() throws Exception {
        ReleaseStore store = new ReleaseStore(root);
        Manifest m = TestReleases.write(store, 20);
        VerifiedRelease verified = store.verified(m.id());
        assertThat(verified.id()).isEqualTo(m.id());
        assertThat(verified.manifest()).isEqualTo(m);

        // Damage after verification goes unseen by publish(VerifiedRelease): the proof is not re-checked, which
        // is why only the verifier makes one and the caller holds the update lock in between.
        try (RandomAccessFile f = new RandomAccessFile(store.releaseDir(m.id()).resolve("chunks.dat").toFile(), "rw")) {
            f.seek(0);
            int b = f.read();
            f.seek(0);
            f.write(b ^ 0xFF);
        }
        assertThat(store.publish(verified)).isEqualTo(m);
        assertThat(store.current()).contains(m.id());
        // Publishing by id verifies, and refuses it.
        assertThatThrownBy(() -> store.publish(m.id())).isInstanceOf(ReleaseRejectedException.class)
                .hasMessageContaining("chunks.dat");
    }

    @Test
    void aReleaseVerifiedInAnotherStoreIsRefused(@TempDir Path other) throws Exception {
        ReleaseStore here = new ReleaseStore(root);
        ReleaseStore there = new ReleaseStore(other);
        VerifiedRelease verifiedThere = there.verified(TestReleases.write(there, 10).id());
        assertThatThrownBy(() -> here.publish(verifiedThere)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without being verified there");
        assertThat(here.current()).isEmpty();
    }

    @Test
    void anIncompleteReleaseGetsNoProof() throws Exception {
        ReleaseStore store = new ReleaseStore(root);
        Manifest m = TestReleases.write(store, 10);
        Files.delete(store.releaseDir(m.id()).resolve("chunks.idx"));
        assertThatThrownBy(() -> store.verified(m.id())).isInstanceOf(ReleaseRejectedException.class)
                .hasMessageContaining("chunks.idx is missing");
    }
}
