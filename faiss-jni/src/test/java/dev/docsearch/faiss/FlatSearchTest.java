package dev.docsearch.faiss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FlatSearchTest {
    private static final int D = 48;
    private static final int N = 3000;
    private static final int K = 10;

    @ParameterizedTest
    @EnumSource(Metric.class)
    void flatSearchReturnsTheExactNeighboursAndScores(Metric metric) {
        float[] database = TestVectors.gaussian(N, D, 1);
        float[] queries = TestVectors.gaussian(50, D, 2);
        try (FaissIndex index = FaissIndex.create(D, "Flat", metric)) {
            assertThat(index.isTrained()).isTrue();
            index.add(database);
            assertThat(index.ntotal()).isEqualTo(N);
            assertThat(index.dimension()).isEqualTo(D);
            assertThat(index.metric()).isEqualTo(metric);
            for (int q = 0; q < 50; q++) {
                float[] query = TestVectors.row(queries, D, q);
                SearchResult result = index.search(query, K);
                // FAISS sums in float with a CPU-selected BLAS kernel, the brute force in double: only hits whose
                // scores are tied within rounding may come out in another order (or swap at the k-th place).
                NearTies.assertSameRanking("query " + q,
                        TestVectors.exactRanking(database, D, query, K, metric), result);
                // Every hit, also one outside the exact top-k because it tied for the last place, has its true score.
                for (int i = 0; i < K; i++) {
                    double expected = TestVectors.score(database, D, (int) result.ids()[i], query, metric);
                    assertThat((double) result.scores()[i]).isCloseTo(expected, within(1e-3 * Math.max(1, Math.abs(expected))));
                }
            }
        }
    }

    @Test
    void batchSearchEqualsSingleSearches() {
        float[] database = TestVectors.gaussian(N, D, 3);
        float[] queries = TestVectors.gaussian(17, D, 4);
        try (FaissIndex index = FaissIndex.create(D, "Flat", Metric.INNER_PRODUCT)) {
            index.add(database);
            SearchResult[] batch = index.searchBatch(queries, K);
            assertThat(batch).hasSize(17);
            for (int q = 0; q < 17; q++) {
                SearchResult single = index.search(TestVectors.row(queries, D, q), K);
                // BLAS may use another kernel, summing in another order, for a 17-row than for a 1-row product (e.g.
                // OpenBLAS's small-matrix kernels on AVX-512): scores equal up to rounding, so near-tied hits may swap.
                NearTies.assertSameRanking("query " + q, single, batch[q]);
            }
            assertThat(index.searchBatch(new float[0], K)).isEmpty();
        }
    }

    @Test
    void addAppendsSequentialIdsAcrossCalls() {
        float[] first = TestVectors.gaussian(10, D, 5);
        float[] second = TestVectors.gaussian(10, D, 6);
        try (FaissIndex index = FaissIndex.create(D, "Flat", Metric.L2)) {
            index.add(first);
            index.add(second);
            assertThat(index.ntotal()).isEqualTo(20);
            // Each vector is its own nearest neighbour at distance 0.
            assertThat(index.search(TestVectors.row(second, D, 3), 1).ids()).containsExactly(13L);
            assertThat(index.search(TestVectors.row(first, D, 7), 1).ids()).containsExactly(7L);
        }
    }

    @Test
    void fewerVectorsThanKPadsWithMinusOne() {
        try (FaissIndex index = FaissIndex.create(D, "Flat", Metric.INNER_PRODUCT)) {
            index.add(TestVectors.gaussian(3, D, 7));
            SearchResult result = index.search(TestVectors.gaussian(1, D, 8), 5);
            assertThat(result.count()).isEqualTo(3);
            assertThat(result.ids()).hasSize(5);
            assertThat(result.ids()[3]).isEqualTo(-1);
            assertThat(result.ids()[4]).isEqualTo(-1);
            assertThat(result.ids()).startsWith(result.ids()[0], result.ids()[1], result.ids()[2])
                    .contains(0L, 1L, 2L);
        }
    }

    @Test
    void emptyIndexReturnsOnlyEmptySlots() {
        try (FaissIndex index = FaissIndex.create(D, "Flat", Metric.INNER_PRODUCT)) {
            SearchResult result = index.search(TestVectors.gaussian(1, D, 9), 3);
            assertThat(result.count()).isZero();
            assertThat(result.ids()).containsOnly(-1L);
            assertThat(result.scores()).containsOnly(-Float.MAX_VALUE);
        }
    }

    @Test
    void singleQueriesGoThroughBlas() {
        // Debian's generic FAISS build is fast only on its BLAS path; the shim lowers the threshold at load.
        FaissIndex.create(4, "Flat", Metric.INNER_PRODUCT).close(); // loads the library
        assertThat(FaissNative.distanceComputeBlasThreshold()).isEqualTo(1);
    }
}
