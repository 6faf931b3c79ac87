package dev.docsearch.core.release;

import dev.docsearch.core.model.Chunk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.IndexFormatTooNewException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkStoreTest {

    @TempDir
    Path dir;

    private List<Chunk> sample(int n) {
        List<Chunk> chunks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            chunks.add(new Chunk("g/p" + i + "#0", "g/p" + i, "https://x/" + i, "Title " + i + " é✓", "g",
                    i % 2 == 0 ? List.of() : List.of("A", "B " + i), "text ".repeat(i * 30) + "end " + i,
                    i % 3 == 0 ? "" : "section-" + i));
        }
        return chunks;
    }

    @Test
    void roundTripsEveryField() throws IOException {
        List<Chunk> chunks = sample(300);
        try (ChunkStore.Writer w = new ChunkStore.Writer(dir)) {
            for (Chunk c : chunks) {
                w.add(c);
            }
        }
        try (ChunkStore store = ChunkStore.open(dir)) {
            assertThat(store.size()).isEqualTo(300);
            for (int i = 0; i < chunks.size(); i++) {
                assertThat(store.get(i)).isEqualTo(chunks.get(i));
                assertThat(store.page(i)).isEqualTo(new ChunkStore.ChunkPage(chunks.get(i).pageId(), chunks.get(i).guide()));
            }
            assertThatThrownBy(() -> store.get(300)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> store.page(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void closeUnmapsTheFilesAndRefusesFurtherReads() throws IOException {
        try (ChunkStore.Writer w = new ChunkStore.Writer(dir)) {
            for (Chunk c : sample(5)) {
                w.add(c);
            }
        }
        ChunkStore store = ChunkStore.open(dir);
        assertThat(store.get(1)).isEqualTo(sample(5).get(1));
        assertThat(mappings()).contains(dir.resolve(ChunkStore.DATA_FILE).toString());
        store.close();
        store.close(); // idempotent
        assertThat(mappings()).doesNotContain(dir.resolve(ChunkStore.DATA_FILE).toString());
        assertThatThrownBy(() -> store.get(1)).isInstanceOf(IllegalStateException.class);
    }

    /** This process's memory mappings, as the kernel lists them. */
    private static String mappings() throws IOException {
        return java.nio.file.Files.readString(Path.of("/proc/self/maps"));
    }

    private void write(int n) throws IOException {
        try (ChunkStore.Writer w = new ChunkStore.Writer(dir)) {
            for (Chunk c : sample(n)) {
                w.add(c);
            }
            w.close(); // a second close (the release writer's abort path) changes nothing
        }
    }

    @Test
    void refusesAFlippedByteInTheOffsets() throws IOException {
        write(10);
        Path index = dir.resolve(ChunkStore.INDEX_FILE);
        byte[] bytes = Files.readAllBytes(index);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(index, bytes);
        assertThatThrownBy(() -> ChunkStore.open(dir)).isInstanceOf(CorruptIndexException.class)
                .hasMessageContaining("checksum failed");
    }

    @Test
    void refusesFilesOfAnotherFormatOrVersion() throws IOException {
        write(3);
        Path data = dir.resolve(ChunkStore.DATA_FILE);
        byte[] original = Files.readAllBytes(data);
        // format 1 began with the bytes "HCSD" and version 1: not a codec header at all
        Files.write(data, new byte[]{0x48, 0x43, 0x53, 0x44, 1, 0, 0, 0});
        assertThatThrownBy(() -> ChunkStore.open(dir)).isInstanceOf(CorruptIndexException.class)
                .hasMessageContaining("codec header mismatch");
        // the right codec at a version this reader does not know
        byte[] newer = original.clone();
        int versionAt = CodecUtil.headerLength("DocsearchChunkData") - Integer.BYTES;
        newer[versionAt + 3] = (byte) (ChunkStore.VERSION + 1);
        Files.write(data, newer);
        assertThatThrownBy(() -> ChunkStore.open(dir)).isInstanceOf(IndexFormatTooNewException.class);
        // the offsets file in place of the data
        Files.copy(dir.resolve(ChunkStore.INDEX_FILE), data, StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> ChunkStore.open(dir)).isInstanceOf(CorruptIndexException.class);
    }

    @Test
    void refusesTruncatedData() throws IOException {
        try (ChunkStore.Writer w = new ChunkStore.Writer(dir)) {
            for (Chunk c : sample(10)) {
                w.add(c);
            }
        }
        try (FileChannel ch = FileChannel.open(dir.resolve(ChunkStore.DATA_FILE), StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 3);
        }
        assertThatThrownBy(() -> ChunkStore.open(dir)).isInstanceOf(IOException.class).hasMessageContaining("truncated");
    }
}
