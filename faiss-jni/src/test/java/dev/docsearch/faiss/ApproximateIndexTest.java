package dev.docsearch.faiss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ApproximateIndexTest {
    private static final int D = 32;
    private static final int N = 20_000;
    private static final int QUERIES = 200;
    private static final int K = 10;
    /** Clusters overlap at this spread, so probing more lists or visiting more nodes visibly pays. */
    private static final float SPREAD = 1.0f;

    private static float[] database;
    private static float[] queries;
    /** Exact top-k by a flat index: ids and the scores FAISS computed for them. */
    private static SearchResult[] truth;

    @BeforeAll
    static void exactNeighbours() {
        // Queries are fresh draws from the same clusters as the database, as real queries are.
        float[] all = TestVectors.clustered(N + QUERIES, D, 200, SPREAD, 11);
        database = Arrays.copyOf(all, N * D);
        queries = Arrays.copyOfRange(all, N * D, all.length);
        try (FaissIndex flat = FaissIndex.create(D, "Flat", Metric.INNER_PRODUCT)) {
            flat.add(database);
            truth = flat.searchBatch(queries, K);
        }
        // The flat truth itself is checked against brute force (spot check: FlatSearchTest does it fully); FAISS's
        // float BLAS and the double brute force may order hits whose scores tie within rounding differently.
        NearTies.assertSameRanking("flat truth of query 0",
                TestVectors.exactRanking(database, D, TestVectors.row(queries, D, 0), K, Metric.INNER_PRODUCT),
                truth[0]);
    }

    private static double recallAt10(FaissIndex index) {
        SearchResult[] results = index.searchBatch(queries, K);
        double sum = 0;
        for (int q = 0; q < QUERIES; q++) {
            sum += TestVectors.recall(truth[q].ids(), results[q].ids());
        }
        return sum / QUERIES;
    }

    /** Recall@10 with {@code parameter} at {@code high} is at least 0.95 and above what it is at {@code low}. */
    private static void assertRecallRisesToAtLeast95(FaissIndex index, String parameter, int low, int high) {
        index.setParameter(parameter, low);
        double atLow = recallAt10(index);
        index.setParameter(parameter, high);
        double atHigh = recallAt10(index);
        assertThat(atHigh).as("recall@10 at %s %d (at %d: %.3f)", parameter, high, low, atLow)
                .isGreaterThanOrEqualTo(0.95).isGreaterThan(atLow);
    }

    /**
     * An IVF index probing every list scans every vector, so it must find the flat truth for every query. Not
     * bit-for-bit: the IVF scan scores each vector with FAISS's own dot product while the flat truth comes from
     * OpenBLAS's CPU-selected sgemm, so two hits tied within float rounding (at the k-th place too, which recall
     * would count as a miss) may come out the other way. Checked per query, ids and scores, up to such ties.
     */
    private static void assertFindsTheExactNeighbours(FaissIndex index) {
        SearchResult[] results = index.searchBatch(queries, K);
        for (int q = 0; q < QUERIES; q++) {
            NearTies.assertSameRanking("query " + q, truth[q], results[q]);
        }
    }

    @Test
    void hnswHasHighRecallAndEfSearchRaisesIt() {
        try (FaissIndex index = FaissIndex.create(D, "HNSW32,Flat", Metric.INNER_PRODUCT)) {
            assertThat(index.isTrained()).isTrue();
            index.add(database);
            assertRecallRisesToAtLeast95(index, "efSearch", 8, 128);
        }
    }

    @Test
    void buildingOnSeveralThreadsGivesAnEquallyGoodIndexAndLeavesTheDefaultAlone() {
        int before = FaissIndex.threads();
        try (FaissIndex index = FaissIndex.create(D, "HNSW32,Flat", Metric.INNER_PRODUCT)) {
            index.add(database, 2);
            assertThat(index.ntotal()).isEqualTo(N);
            index.setParameter("efSearch", 128);
            assertThat(recallAt10(index)).isGreaterThanOrEqualTo(0.95);
        }
        try (FaissIndex ivf = FaissIndex.create(D, "IVF64,Flat", Metric.INNER_PRODUCT)) {
            ivf.train(database, 2);
            ivf.add(database, 2);
            ivf.setParameter("nprobe", 64);
            assertFindsTheExactNeighbours(ivf);
        }
        assertThat(FaissIndex.threads()).isEqualTo(before);
        try (FaissIndex index = FaissIndex.create(D, "Flat", Metric.INNER_PRODUCT)) {
            assertThatThrownBy(() -> index.add(database, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("thread count must be at least 1");
            assertThatThrownBy(() -> index.train(database, -1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void ivfFlatTrainsThenAddsAndNprobeControlsRecall() {
        try (FaissIndex index = FaissIndex.create(D, "IVF64,Flat", Metric.INNER_PRODUCT)) {
            assertThat(index.isTrained()).isFalse();
            index.train(database);
            assertThat(index.isTrained()).isTrue();
            index.add(database);
            assertThat(index.ntotal()).isEqualTo(N);
            assertRecallRisesToAtLeast95(index, "nprobe", 1, 16);
            index.setParameter("nprobe", 64);
            assertFindsTheExactNeighbours(index); // probing every list is exhaustive
        }
    }

    @Test
    void ivfScalarQuantizerHasHighRecall() {
        try (FaissIndex index = FaissIndex.create(D, "IVF64,SQ8", Metric.INNER_PRODUCT)) {
            index.train(database);
            index.add(database);
            index.setParameter("nprobe", 16);
            double recall = recallAt10(index);
            assertThat(recall).as("recall@10 at nprobe 16").isGreaterThanOrEqualTo(0.9);
        }
    }

    @Test
    void untrainedIvfRejectsAddAndSearchWithFaissMessage() {
        try (FaissIndex index = FaissIndex.create(D, "IVF64,Flat", Metric.INNER_PRODUCT)) {
            assertThatThrownBy(() -> index.add(TestVectors.row(database, D, 0)))
                    .isInstanceOf(FaissException.class)
                    .hasMessageStartingWith("add: ")
                    .hasMessageContaining("is_trained");
            assertThatThrownBy(() -> index.search(TestVectors.row(queries, D, 0), K))
                    .isInstanceOf(FaissException.class)
                    .hasMessageContaining("is_trained");
        }
    }

    @Test
    void tooFewTrainingVectorsIsAFaissError() {
        try (FaissIndex index = FaissIndex.create(D, "IVF64,Flat", Metric.INNER_PRODUCT)) {
            assertThatThrownBy(() -> index.train(TestVectors.gaussian(10, D, 13)))
                    .isInstanceOf(FaissException.class)
                    .hasMessageStartingWith("train: ")
                    .hasMessageContaining("training points");
            assertThat(index.isTrained()).isFalse();
        }
    }
}
