package dev.docsearch.faiss;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConcurrentSearchTest {
    private static final int D = 32;
    private static final int N = 5000;
    private static final int QUERIES = 64;
    private static final int K = 10;
    private static final int THREADS = 8;

    private ExecutorService pool;

    @BeforeEach
    void startPool() {
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        FaissIndex.setThreads(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Flat", "HNSW16,Flat", "IVF32,SQ8"})
    void manyThreadsSearchingOneIndexGetTheSingleThreadedResults(String factory) throws Exception {
        float[] database = TestVectors.clustered(N, D, 50, 41);
        float[] queries = TestVectors.clustered(QUERIES, D, 50, 42);
        try (FaissIndex index = FaissIndex.create(D, factory, Metric.INNER_PRODUCT)) {
            index.train(database);
            index.add(database);
            if (factory.startsWith("IVF")) {
                index.setParameter("nprobe", 8);
            }
            SearchResult[] expected = new SearchResult[QUERIES];
            for (int q = 0; q < QUERIES; q++) {
                expected[q] = index.search(TestVectors.row(queries, D, q), K);
            }
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int offset = t;
                workers.add(pool.submit(() -> {
                    start.await();
                    int checked = 0;
                    for (int round = 0; round < 20; round++) {
                        for (int q = 0; q < QUERIES; q++) {
                            int query = (q + offset * 7) % QUERIES;
                            assertThat(index.search(TestVectors.row(queries, D, query), K)).isEqualTo(expected[query]);
                            checked++;
                        }
                    }
                    return checked;
                }));
            }
            start.countDown();
            for (Future<Integer> worker : workers) {
                assertThat(worker.get(2, TimeUnit.MINUTES)).isEqualTo(20 * QUERIES);
            }
        }
    }

    @Test
    void manyThreadsSearchingAMemoryMappedIvfGetTheSingleThreadedResults(@TempDir Path dir) throws Exception {
        float[] database = TestVectors.clustered(N, D, 50, 46);
        float[] queries = TestVectors.clustered(QUERIES, D, 50, 47);
        Path file = dir.resolve("ivf.faiss");
        try (FaissIndex index = FaissIndex.create(D, "IVF32,SQ8", Metric.INNER_PRODUCT)) {
            index.train(database);
            index.add(database);
            index.write(file);
        }
        try (FaissIndex mapped = FaissIndex.read(file, true)) {
            mapped.setParameter("nprobe", 8);
            // The reference takes the workers' code path (one query per call, one OpenMP thread), so every
            // concurrent search must return exactly these ids and scores.
            SearchResult[] expected = new SearchResult[QUERIES];
            for (int q = 0; q < QUERIES; q++) {
                expected[q] = mapped.search(TestVectors.row(queries, D, q), K);
            }
            assertBatchAgreesWithSingleSearches(mapped.searchBatch(queries, K), expected);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                workers.add(pool.submit(() -> {
                    for (int round = 0; round < 10; round++) {
                        for (int q = 0; q < QUERIES; q++) {
                            SearchResult result = mapped.search(TestVectors.row(queries, D, q), K);
                            assertThat(result).as("query %d", q).isEqualTo(expected[q]);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(2, TimeUnit.MINUTES);
            }
        }
    }

    /**
     * A batch and single searches of an IVF index may probe different lists, not only order hits differently: the
     * coarse quantizer scores the centroids with BLAS, whose kernel (and so rounding) may differ between a 64-row and
     * a 1-row product (OpenBLAS picks kernels by CPU, with small-matrix ones on AVX-512), so a centroid tied within
     * rounding for the nprobe-th place can be probed by one and not the other, and that query's hits then change
     * beyond a reordering. Such ties are rare (centroid scores are typically 1e-2 apart, rounding is 1e-7), so: all
     * but at most two queries must agree up to near-tied hit scores, at least 95% of all hits must be shared (a batch
     * that mixed up or lost queries' results falls far below), and a hit both found must score the same.
     */
    private static void assertBatchAgreesWithSingleSearches(SearchResult[] batch, SearchResult[] single) {
        assertThat(batch).hasSize(single.length);
        List<String> scoreMismatches = new ArrayList<>();
        List<String> disagreeing = new ArrayList<>();
        int hits = 0;
        int shared = 0;
        for (int q = 0; q < single.length; q++) {
            NearTies.Ranking expected = NearTies.Ranking.of(single[q]);
            NearTies.Ranking actual = NearTies.Ranking.of(batch[q]);
            hits += expected.count();
            shared += NearTies.sharedIds("query " + q, expected, actual, scoreMismatches);
            List<String> differences = NearTies.differences(expected, actual);
            if (!differences.isEmpty()) {
                disagreeing.add("query " + q + ": " + differences + "\n  single " + expected + "\n  batch  " + actual);
            }
        }
        assertThat(hits).as("hits of the single searches").isPositive();
        assertThat(scoreMismatches).as("hits found by both a batch and a single search score the same").isEmpty();
        assertThat((double) shared / hits).as("fraction of the single searches' hits the batch also found")
                .isGreaterThanOrEqualTo(0.95);
        assertThat(disagreeing).as("queries whose batch hits differ from the single search's beyond near ties")
                .hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void closeWhileSearchingEndsInIllegalStateNotACrash() throws Exception {
        float[] database = TestVectors.gaussian(N, D, 43);
        FaissIndex index = FaissIndex.create(D, "Flat", Metric.INNER_PRODUCT);
        index.add(database);
        AtomicInteger searched = new AtomicInteger();
        // Each worker counts down after its own first search: the close then lands while every thread is in its
        // search loop, however few cores the scheduler gives them (a fixed sleep does not ensure that on one core).
        CountDownLatch everyOneSearched = new CountDownLatch(THREADS);
        List<Future<String>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int seed = t;
            Callable<String> worker = () -> {
                float[] query = TestVectors.gaussian(1, D, 100 + seed);
                boolean first = true;
                while (true) {
                    try {
                        index.search(query, K);
                    } catch (IllegalStateException closed) {
                        return closed.getMessage();
                    }
                    searched.incrementAndGet();
                    if (first) {
                        everyOneSearched.countDown();
                        first = false;
                    }
                }
            };
            workers.add(pool.submit(worker));
        }
        boolean allSearching = everyOneSearched.await(30, TimeUnit.SECONDS);
        long live = FaissNative.liveIndexes();
        index.close(); // also when the wait failed: it is what ends the workers' loops
        assertThat(allSearching).as("each of %d threads completed a search within 30 s (%d remain)", THREADS,
                everyOneSearched.getCount()).isTrue();
        assertThat(FaissNative.liveIndexes()).isEqualTo(live - 1);
        for (Future<String> worker : workers) {
            assertThat(worker.get(1, TimeUnit.MINUTES)).isEqualTo("FAISS index \"Flat\" is closed");
        }
        assertThat(searched.get()).isGreaterThanOrEqualTo(THREADS);
    }

    @Test
    void addWhileSearchingKeepsResultsConsistent() throws Exception {
        float[] database = TestVectors.gaussian(N, D, 44);
        try (FaissIndex index = FaissIndex.create(D, "Flat", Metric.L2)) {
            index.add(TestVectors.row(database, D, 0));
            // The writer starts adding only once every reader has searched: otherwise, on one core, it may finish
            // before any reader runs, and the test would pass without a single search beside an add.
            CountDownLatch readersSearching = new CountDownLatch(THREADS - 1);
            Future<?> writer = pool.submit(() -> {
                assertThat(readersSearching.await(30, TimeUnit.SECONDS)).as("every reader searched within 30 s")
                        .isTrue();
                for (int i = 1; i < 200; i++) {
                    index.add(TestVectors.row(database, D, i));
                }
                return null;
            });
            List<Future<?>> readers = new ArrayList<>();
            for (int t = 0; t < THREADS - 1; t++) {
                readers.add(pool.submit(() -> {
                    boolean first = true;
                    do {
                        long total = index.ntotal();
                        // Any vector added so far is found as its own nearest neighbour.
                        int probe = (int) (total - 1);
                        assertThat(index.search(TestVectors.row(database, D, probe), 1).ids()).containsExactly(probe);
                        if (first) {
                            readersSearching.countDown();
                            first = false;
                        }
                    } while (!writer.isDone());
                    return null;
                }));
            }
            writer.get(1, TimeUnit.MINUTES);
            for (Future<?> reader : readers) {
                reader.get(1, TimeUnit.MINUTES);
            }
            assertThat(index.ntotal()).isEqualTo(200);
        }
    }

    @Test
    void everyCallingThreadRunsWithTheConfiguredOpenMpThreadCount() throws Exception {
        try (FaissIndex index = FaissIndex.create(D, "Flat", Metric.L2)) {
            index.add(TestVectors.gaussian(10, D, 45));
            FaissIndex.setThreads(3);
            // A thread that never called FAISS before: OpenMP's setting is per thread, the shim applies it.
            int seen = pool.submit(() -> {
                index.search(new float[D], 1);
                return FaissNative.ompMaxThreads();
            }).get(1, TimeUnit.MINUTES);
            assertThat(seen).isEqualTo(3);
            FaissIndex.setThreads(1);
            index.search(new float[D], 1);
            assertThat(FaissNative.ompMaxThreads()).isEqualTo(1);
        }
    }
}
