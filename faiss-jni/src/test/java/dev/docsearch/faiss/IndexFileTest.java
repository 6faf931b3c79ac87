package dev.docsearch.faiss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IndexFileTest {
    private static final int D = 16;
    private static final int N = 4000;
    private static final int K = 5;

    @TempDir
    Path dir;

    private static FaissIndex filled(String factory, float[] database) {
        FaissIndex index = FaissIndex.create(D, factory, Metric.INNER_PRODUCT);
        if (!index.isTrained()) {
            index.train(database);
        }
        index.add(database);
        return index;
    }

    @ParameterizedTest
    @ValueSource(strings = {"Flat", "HNSW16,Flat", "IVF32,Flat", "IVF32,SQ8"})
    void writeThenReadGivesTheSameIndex(String factory) {
        float[] database = TestVectors.clustered(N, D, 40, 21);
        float[] queries = TestVectors.clustered(20, D, 40, 22);
        Path file = dir.resolve("index.faiss");
        SearchResult[] expected;
        try (FaissIndex index = filled(factory, database)) {
            index.write(file);
            expected = index.searchBatch(queries, K);
        }
        assertThat(file).isNotEmptyFile();
        for (boolean mmap : new boolean[] {false, true}) {
            try (FaissIndex read = FaissIndex.read(file, mmap)) {
                assertThat(read.ntotal()).isEqualTo(N);
                assertThat(read.dimension()).isEqualTo(D);
                assertThat(read.metric()).isEqualTo(Metric.INNER_PRODUCT);
                assertThat(read.isTrained()).isTrue();
                assertThat(read.searchBatch(queries, K)).as("mmap=%s", mmap).containsExactly(expected);
            }
        }
    }

    @Test
    void flatInnerProductFileHasTheStandardHeader() throws IOException {
        Path file = dir.resolve("flat.faiss");
        try (FaissIndex index = filled("Flat", TestVectors.gaussian(10, D, 23))) {
            index.write(file);
        }
        byte[] bytes = Files.readAllBytes(file);
        assertThat(new String(bytes, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("IxFI");
    }

    @Test
    void memoryMappedIvfIsSearchableAndReadOnly() {
        float[] database = TestVectors.clustered(N, D, 40, 24);
        Path file = dir.resolve("ivf.faiss");
        try (FaissIndex index = filled("IVF32,Flat", database)) {
            index.write(file);
        }
        try (FaissIndex mapped = FaissIndex.read(file, true)) {
            mapped.setParameter("nprobe", 32);
            float[] query = TestVectors.row(database, D, 123);
            assertThat(mapped.search(query, 1).ids()).containsExactly(123L);
            // The inverted lists live in the mapped file: FAISS refuses to change them.
            assertThatThrownBy(() -> mapped.add(query))
                    .isInstanceOf(FaissException.class)
                    .hasMessageContaining("read it with mmap=false to add vectors");
            assertThat(mapped.ntotal()).isEqualTo(N);
            // FAISS would write a stub pointing at the mapped file; refused with a reason instead.
            assertThatThrownBy(() -> mapped.write(dir.resolve("copy.faiss")))
                    .isInstanceOf(FaissException.class)
                    .hasMessageContaining("read it with mmap=false to write it");
            assertThat(dir.resolve("copy.faiss")).doesNotExist();
        }
    }

    @Test
    void writingIntoAMissingDirectoryIsAFaissError() {
        Path file = dir.resolve("no/such/dir/x.faiss");
        try (FaissIndex index = FaissIndex.create(D, "Flat", Metric.L2)) {
            assertThatThrownBy(() -> index.write(file))
                    .isInstanceOf(FaissException.class)
                    .hasMessageStartingWith("write_index(" + file + "): ")
                    .hasMessageContaining("could not open");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void missingFileIsAFaissError(boolean mmap) {
        Path file = dir.resolve("missing.faiss");
        assertThatThrownBy(() -> FaissIndex.read(file, mmap))
                .isInstanceOf(FaissException.class)
                .hasMessageStartingWith("read_index(" + file + "): ")
                .hasMessageContaining("could not open " + file + " for reading");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void foreignFilesAreFaissErrors(boolean mmap) throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "This is not an index, just some text.\n".repeat(50));
        assertThatThrownBy(() -> FaissIndex.read(text, mmap))
                .isInstanceOf(FaissException.class)
                .hasMessageStartingWith("read_index(" + text + "): ");
        Path empty = Files.createFile(dir.resolve("empty.faiss"));
        assertThatThrownBy(() -> FaissIndex.read(empty, mmap)).isInstanceOf(FaissException.class);
        assertThatThrownBy(() -> FaissIndex.read(dir, mmap)).isInstanceOf(FaissException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Flat", "HNSW16,Flat", "IVF32,Flat", "IVF32,SQ8"})
    void truncatedFilesAreFaissErrors(String factory) throws IOException {
        Path whole = dir.resolve("whole.faiss");
        try (FaissIndex index = filled(factory, TestVectors.clustered(N, D, 40, 25))) {
            index.write(whole);
        }
        byte[] bytes = Files.readAllBytes(whole);
        long live = FaissNative.liveIndexes();
        for (int length : new int[] {bytes.length / 2, bytes.length - 1, 3, 60}) {
            Path cut = Files.write(dir.resolve("cut-" + length + ".faiss"), Arrays.copyOf(bytes, length));
            for (boolean mmap : new boolean[] {false, true}) {
                assertThatThrownBy(() -> FaissIndex.read(cut, mmap))
                        .as("%s cut to %d of %d bytes, mmap=%s", factory, length, bytes.length, mmap)
                        .isInstanceOf(FaissException.class)
                        .hasMessageStartingWith("read_index(" + cut + "): ");
            }
        }
        assertThat(FaissNative.liveIndexes()).as("a failed read leaks no index").isEqualTo(live);
    }
}
