package dev.docsearch.faiss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Bad input and misuse end in a precise Java exception, never in a crashed JVM. */
class FaissIndexErrorsTest {
    private static final int D = 8;

    @Test
    void badFactoryStringCarriesFaissMessage() {
        assertThatThrownBy(() -> FaissIndex.create(D, "HNSW3x,Nonsense", Metric.INNER_PRODUCT))
                .isInstanceOf(FaissException.class)
                .hasMessageStartingWith("index_factory(8, \"HNSW3x,Nonsense\"): ")
                .hasMessageContaining("could not parse index string HNSW3x,Nonsense");
    }

    @Test
    void factoryThatDoesNotFitTheDimensionIsAFaissError() {
        // PQ with 16 sub-quantizers needs d divisible by 16.
        assertThatThrownBy(() -> FaissIndex.create(D, "PQ16", Metric.L2))
                .isInstanceOf(FaissException.class)
                .hasMessageStartingWith("index_factory(8, \"PQ16\"): ");
    }

    @Test
    void invalidCreateArgumentsAreRejectedInJava() {
        assertThatThrownBy(() -> FaissIndex.create(0, "Flat", Metric.L2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimension must be at least 1");
        assertThatThrownBy(() -> FaissIndex.create(D, " ", Metric.L2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
        assertThatThrownBy(() -> FaissIndex.create(D, "Flat\0", Metric.L2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL");
        assertThatThrownBy(() -> FaissIndex.create(D, null, Metric.L2)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> FaissIndex.create(D, "Flat", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void vectorArraysThatAreNotAMultipleOfTheDimensionAreRejected() {
        try (FaissIndex index = FaissIndex.create(D, "Flat", Metric.L2)) {
            assertThatThrownBy(() -> index.add(new float[D * 3 + 1]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("vectors has 25 floats, which is not a multiple of the index dimension 8"
                            + " (vectors are row-major n*d)");
            assertThatThrownBy(() -> index.train(new float[D - 1]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a multiple");
            assertThatThrownBy(() -> index.searchBatch(new float[D + 2], 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queries has 10 floats");
            assertThatThrownBy(() -> index.search(new float[D * 2], 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("query has 16 floats but the index has dimension 8");
            assertThat(index.ntotal()).isZero();
        }
    }

    @Test
    void invalidKIsRejected() {
        try (FaissIndex index = FaissIndex.create(D, "Flat", Metric.L2)) {
            assertThatThrownBy(() -> index.search(new float[D], 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("k must be at least 1, got 0");
            assertThatThrownBy(() -> index.searchBatch(new float[D], -3))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void unknownParameterIsAFaissError() {
        try (FaissIndex index = FaissIndex.create(D, "Flat", Metric.L2)) {
            assertThatThrownBy(() -> index.setParameter("nprobe", 4))
                    .isInstanceOf(FaissException.class)
                    .hasMessageStartingWith("set_index_parameter(nprobe, 4.000000): ")
                    .hasMessageContaining("nprobe");
        }
        try (FaissIndex index = FaissIndex.create(D, "HNSW16,Flat", Metric.L2)) {
            assertThatThrownBy(() -> index.setParameter("noSuchKnob", 1)).isInstanceOf(FaissException.class);
            index.setParameter("efSearch", 32); // the index is still usable
        }
    }

    @Test
    void parameterValuesFaissWouldMisreadAreRejected() {
        try (FaissIndex index = FaissIndex.create(D, "HNSW16,Flat", Metric.L2)) {
            for (double bad : new double[] {0, -1, 2.5, Double.NaN, Double.POSITIVE_INFINITY, 1e12, 1 << 21}) {
                assertThatThrownBy(() -> index.setParameter("efSearch", bad))
                        .as("efSearch=%s", bad)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("efSearch");
            }
        }
        try (FaissIndex index = FaissIndex.create(D, "IVF4,Flat", Metric.L2)) {
            assertThatThrownBy(() -> index.setParameter("nprobe", 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("nprobe must be a whole number of at least 1, got 0.0");
            index.setParameter("nprobe", 1000); // more than nlist: FAISS clamps it
        }
    }

    @Test
    void threadCountMustBePositive() {
        assertThatThrownBy(() -> FaissIndex.setThreads(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(FaissIndex.threads()).isEqualTo(1);
    }

    @Test
    void closeIsIdempotentAndEveryUseAfterwardsThrows(@TempDir Path dir) {
        FaissIndex index = FaissIndex.create(D, "Flat", Metric.INNER_PRODUCT);
        index.add(new float[D * 2]);
        index.close();
        index.close();
        assertThat(index.toString()).contains("closed");
        assertThat(index.dimension()).isEqualTo(D); // a Java-side value, still answerable
        List<Executable> uses = List.of(
                index::ntotal,
                index::isTrained,
                () -> index.train(new float[D]),
                () -> index.add(new float[D]),
                () -> index.search(new float[D], 1),
                () -> index.searchBatch(new float[D], 1),
                () -> index.setParameter("efSearch", 1),
                () -> index.write(dir.resolve("closed.faiss")));
        for (Executable use : uses) {
            assertThatThrownBy(use::execute)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("FAISS index \"Flat\" is closed");
        }
        assertThat(dir.resolve("closed.faiss")).doesNotExist();
    }

    @Test
    void closeFreesTheNativeIndexExactlyOnce() {
        FaissIndex index = FaissIndex.create(D, "Flat", Metric.INNER_PRODUCT);
        long live = FaissNative.liveIndexes();
        index.close();
        assertThat(FaissNative.liveIndexes()).isEqualTo(live - 1);
        index.close();
        assertThat(FaissNative.liveIndexes()).isEqualTo(live - 1);
    }

    @Test
    void unclosedIndexesAreFreedByTheCleaner() throws InterruptedException {
        long before = FaissNative.liveIndexes();
        for (int i = 0; i < 20; i++) {
            FaissIndex.create(D, "Flat", Metric.INNER_PRODUCT).add(new float[D * 100]);
        }
        assertThat(FaissNative.liveIndexes()).isGreaterThanOrEqualTo(before + 20);
        // Polls until the Cleaner has run; the generous deadline only matters on a loaded or single-core machine,
        // where the GC and the Cleaner's daemon thread may get little CPU.
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (FaissNative.liveIndexes() > before && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(FaissNative.liveIndexes()).as("live indexes 30 s after dropping 20").isLessThanOrEqualTo(before);
    }
}
