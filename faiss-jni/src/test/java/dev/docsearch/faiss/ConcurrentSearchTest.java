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
            SearchResult[] expected = mapped.searchBatch(queries, K);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                workers.add(pool.submit(() -> {
                    for (int round = 0; round < 10; round++) {
                        for (int q = 0; q < QUERIES; q++) {
                            SearchResult result = mapped.search(TestVectors.row(queries, D, q), K);
                            assertThat(result.ids()).containsExactly(expected[q].ids());
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

    @Test
    void closeWhileSearchingEndsInIllegalStateNotACrash() throws Exception {
        float[] database = TestVectors.gaussian(N, D, 43);
        FaissIndex index = FaissIndex.create(D, "Flat", Metric.INNER_PRODUCT);
        index.add(database);
        AtomicInteger searched = new AtomicInteger();
        CountDownLatch running = new CountDownLatch(THREADS);
        List<Future<String>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int seed = t;
            Callable<String> worker = () -> {
                float[] query = TestVectors.gaussian(1, D, 100 + seed);
                running.countDown();
                while (true) {
                    try {
                        index.search(query, K);
                        searched.incrementAndGet();
                    } catch (IllegalStateException closed) {
                        return closed.getMessage();
                    }
                }
            };
            workers.add(pool.submit(worker));
        }
        running.await();
        Thread.sleep(100);
        long live = FaissNative.liveIndexes();
        index.close();
        assertThat(FaissNative.liveIndexes()).isEqualTo(live - 1);
        for (Future<String> worker : workers) {
            assertThat(worker.get(1, TimeUnit.MINUTES)).isEqualTo("FAISS index \"Flat\" is closed");
        }
        assertThat(searched.get()).isPositive();
    }

    @Test
    void addWhileSearchingKeepsResultsConsistent() throws Exception {
        float[] database = TestVectors.gaussian(N, D, 44);
        try (FaissIndex index = FaissIndex.create(D, "Flat", Metric.L2)) {
            index.add(TestVectors.row(database, D, 0));
            Future<?> writer = pool.submit(() -> {
                for (int i = 1; i < 200; i++) {
                    index.add(TestVectors.row(database, D, i));
                }
                return null;
            });
            List<Future<?>> readers = new ArrayList<>();
            for (int t = 0; t < THREADS - 1; t++) {
                readers.add(pool.submit(() -> {
                    while (!writer.isDone()) {
                        long total = index.ntotal();
                        // Any vector added so far is found as its own nearest neighbour.
                        int probe = (int) (total - 1);
                        assertThat(index.search(TestVectors.row(database, D, probe), 1).ids()).containsExactly(probe);
                    }
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
            }).get();
            assertThat(seen).isEqualTo(3);
            FaissIndex.setThreads(1);
            index.search(new float[D], 1);
            assertThat(FaissNative.ompMaxThreads()).isEqualTo(1);
        }
    }
}
