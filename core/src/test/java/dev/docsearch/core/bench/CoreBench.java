package dev.docsearch.core.bench;

import dev.docsearch.core.cache.EmbeddingCache;
import dev.docsearch.core.embed.BundledModel;
import dev.docsearch.core.embed.Embedder;
import dev.docsearch.core.embed.EmbedderOptions;
import dev.docsearch.core.embed.ModelInfo;
import dev.docsearch.core.embed.ModelStore;
import dev.docsearch.core.eval.BeirDataset;
import dev.docsearch.core.keyword.SnippetHighlighter;
import dev.docsearch.core.model.Page;
import dev.docsearch.core.release.Manifest;
import dev.docsearch.core.release.Release;
import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.core.search.HybridSearcher;
import dev.docsearch.core.search.SearchMode;
import dev.docsearch.core.search.SearchRequest;
import dev.docsearch.core.vector.VectorIndexOptions;
import dev.docsearch.faiss.FaissIndex;
import dev.docsearch.faiss.Metric;
import dev.docsearch.faiss.SearchResult;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The core's benchmarks, run by {@code scripts/bench}: plain loops with warm-up and percentiles, printed as
 * markdown table rows for docs/benchmarks.md. Sub-commands:
 * <ul>
 *   <li>{@code embed <dataset-dir> <root> [model]}: query embedding latency (1 thread) and passage throughput
 *       (2 threads) of a bundled model (default: the default model)</li>
 *   <li>{@code search <dataset-dir> <root>}: HybridSearcher latency per mode over the live release of a root
 *       (build it with {@code scripts/eval <dataset-dir> --root <root>})</li>
 *   <li>{@code faiss <n>}: flat vs approximate indexes over n random unit vectors, d=384</li>
 *   <li>{@code faiss-real <root>}: the same over the real MiniLM vectors of a pipeline-built root</li>
 * </ul>
 */
public final class CoreBench {

    private CoreBench() {
    }

    public static void main(String[] args) throws Exception {
        switch (args.length == 0 ? "" : args[0]) {
            case "embed" -> embed(Path.of(args[1]), Path.of(args[2]),
                    BundledModel.named(args.length > 3 ? args[3] : BundledModel.DEFAULT_NAME),
                    args.length > 4 ? Integer.parseInt(args[4]) : EmbedderOptions.defaults().batchSize());
            case "search" -> search(Path.of(args[1]), Path.of(args[2]));
            case "faiss" -> faiss(Integer.parseInt(args[1]), args.length > 2 ? args[2] : "all");
            case "faiss-real" -> faissReal(Path.of(args[1]), args.length > 2 ? args[2] : "all");
            default -> {
                System.err.println("usage: CoreBench embed <dataset> <root> [model [batch]] | search <dataset> <root> | faiss <n> [all|ivf] | faiss-real <root> [all|ivf]");
                System.exit(2);
            }
        }
    }

    static void embed(Path dataset, Path root, BundledModel bundled, int batchSize) throws Exception {
        BeirDataset data = BeirDataset.load(dataset, "test");
        ModelInfo model = new ModelStore(root).install(bundled);
        List<String> queries = new ArrayList<>(data.queries().values());
        try (Embedder embedder = Embedder.open(model, EmbedderOptions.defaults().withConcurrency(1))) {
            for (int i = 0; i < 100; i++) {
                embedder.embedQuery(queries.get(i % queries.size()));
            }
            long[] micros = new long[queries.size()];
            for (int i = 0; i < queries.size(); i++) {
                long t = System.nanoTime();
                embedder.embedQuery(queries.get(i));
                micros[i] = (System.nanoTime() - t) / 1000;
            }
            row(model.name() + ": query embedding, 1 thread (" + queries.size() + " SciFact queries)", micros);
        }
        List<String> passages = new ArrayList<>();
        for (Page p : data.pages().subList(0, 2048)) {
            passages.add(p.title() + "\n" + p.sections().get(0).text());
        }
        int threads = Runtime.getRuntime().availableProcessors();
        try (Embedder embedder = Embedder.open(model,
                EmbedderOptions.defaults().withConcurrency(threads).withBatchSize(batchSize))) {
            embedder.embedAll(passages.subList(0, 64));
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long t = System.nanoTime();
            List<Future<List<float[]>>> fs = new ArrayList<>();
            for (int i = 0; i < passages.size(); i += 32) {
                List<String> batch = passages.subList(i, Math.min(passages.size(), i + 32));
                fs.add(pool.submit(() -> embedder.embedAll(batch)));
            }
            for (Future<List<float[]>> f : fs) {
                f.get();
            }
            double s = (System.nanoTime() - t) / 1e9;
            pool.shutdown();
            long tokens = passages.stream().mapToLong(p -> Math.min(256, embedder.countTokens(p) + 2)).sum();
            System.out.printf(Locale.ROOT, "| %s: passage embedding, %d threads, ONNX batches of %d | %d passages, %.0f tokens avg | %.1f passages/s |%n",
                    model.name(), threads, embedder.options().batchSize(), passages.size(), (double) tokens / passages.size(), passages.size() / s);
        }
    }

    static void search(Path dataset, Path root) throws Exception {
        BeirDataset data = BeirDataset.load(dataset, "test");
        ReleaseStore store = new ReleaseStore(root);
        String id = store.current().orElseThrow(() -> new IllegalStateException("no live release in " + root));
        try (Release release = Release.open(store, id, VectorIndexOptions.DEFAULT);
             Embedder embedder = Embedder.open(new ModelStore(root).locate(release.manifest().model().name(),
                     release.manifest().model().sha256()), EmbedderOptions.defaults());
             SnippetHighlighter highlighter = new SnippetHighlighter()) {
            HybridSearcher searcher = new HybridSearcher(release, embedder::embedQuery, highlighter::snippet);
            List<String> queries = new ArrayList<>(data.queries().values());
            for (SearchMode mode : SearchMode.values()) {
                for (int i = 0; i < 100; i++) {
                    searcher.search(SearchRequest.of(queries.get(i % queries.size()), 10).withMode(mode));
                }
                long[] micros = new long[queries.size()];
                for (int i = 0; i < queries.size(); i++) {
                    long t = System.nanoTime();
                    searcher.search(SearchRequest.of(queries.get(i), 10).withMode(mode));
                    micros[i] = (System.nanoTime() - t) / 1000;
                }
                row("HybridSearcher " + mode.label() + ", k=10, 1 thread (" + release.manifest().chunks() + " chunks)", micros);
            }
        }
    }

    /** @param kinds "all", or "ivf" to skip HNSW (whose build takes long at 1M vectors on 2 cores) */
    static void faiss(int n, String kinds) {
        int d = 384;
        Random r = new Random(7);
        float[] data = randomUnit(n, d, r);
        float[] q = randomUnit(200, d, r);
        compareIndexes(data, q, d, kinds);
    }

    /**
     * Flat vs approximate indexes over real MiniLM vectors: the chunks of a root's live release, their vectors
     * read from the root's embedding cache (so build the root with the pipeline first). Every 50th chunk is
     * held out as a query, so queries come from the corpus' own distribution but are not in the index.
     */
    static void faissReal(Path root, String kinds) throws Exception {
        ReleaseStore store = new ReleaseStore(root);
        String id = store.current().orElseThrow(() -> new IllegalStateException("no live release under " + root));
        try (Release release = Release.open(store, id, VectorIndexOptions.DEFAULT)) {
            Manifest.ModelRef ref = release.manifest().model();
            int d = ref.dimension();
            EmbeddingCache cache = EmbeddingCache.open(root, new ModelStore(root).locate(ref.name(), ref.sha256()));
            int total = release.chunks().size();
            float[] data = new float[(total - total / 50) * d];
            float[] q = new float[(total / 50) * d];
            int nd = 0;
            int nq = 0;
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < total; i++) {
                String key = EmbeddingCache.key(release.chunks().get(i).embeddingText());
                float[] v = cache.get(key);
                if (v == null) {
                    throw new IllegalStateException("chunk " + i + " of release " + id + " is not in the cache of " + root);
                }
                if (!seen.add(key)) {
                    continue; // identical texts (boilerplate) would make recall depend on tie order
                }
                if (i % 50 == 0 && nq < q.length / d) {
                    System.arraycopy(v, 0, q, nq++ * d, d);
                } else if (nd < data.length / d) {
                    System.arraycopy(v, 0, data, nd++ * d, d);
                }
            }
            System.err.printf(Locale.ROOT, "release %s: %d distinct chunk vectors indexed, %d held out as queries%n",
                    id, nd, nq);
            compareIndexes(Arrays.copyOf(data, nd * d), Arrays.copyOf(q, nq * d), d, kinds);
        }
    }

    private static void compareIndexes(float[] data, float[] q, int d, String kinds) {
        int n = data.length / d;
        int queries = q.length / d;
        long[][] truth = new long[queries][];
        try (FaissIndex flat = FaissIndex.create(d, "Flat", Metric.INNER_PRODUCT)) {
            long t = System.nanoTime();
            flat.add(data);
            double build = (System.nanoTime() - t) / 1e9;
            long[] micros = new long[queries];
            for (int i = 0; i < queries; i++) {
                float[] one = Arrays.copyOfRange(q, i * d, (i + 1) * d);
                long s = System.nanoTime();
                truth[i] = flat.search(one, 10).ids();
                micros[i] = (System.nanoTime() - s) / 1000;
            }
            faissRow(n, "Flat (exact)", build, micros, 1.0);
        }
        String nlist = Integer.toString((int) Math.round(4 * Math.sqrt(n)));
        // One build per index kind, then each search setting on it.
        for (String[] spec : new String[][]{
                {"HNSW32,Flat", "efSearch", "64", "128", "256"},
                {"IVF" + nlist + ",Flat", "nprobe", "16", "32", "64"},
                {"IVF" + nlist + ",SQ8", "nprobe", "64"}}) {
            if (kinds.equals("ivf") && spec[0].startsWith("HNSW")) {
                continue;
            }
            try (FaissIndex index = FaissIndex.create(d, spec[0], Metric.INNER_PRODUCT)) {
                long t = System.nanoTime();
                // Built on every core as VectorIndex.build does; searched on one thread.
                int cores = Runtime.getRuntime().availableProcessors();
                if (!index.isTrained()) {
                    int trainN = Math.min(n, Integer.parseInt(nlist) * 64);
                    index.train(Arrays.copyOf(data, trainN * d), cores);
                }
                index.add(data, cores);
                double build = (System.nanoTime() - t) / 1e9;
                for (int p = 2; p < spec.length; p++) {
                    index.setParameter(spec[1], Double.parseDouble(spec[p]));
                    long[] micros = new long[queries];
                    double recall = 0;
                    for (int i = 0; i < queries; i++) {
                        float[] one = Arrays.copyOfRange(q, i * d, (i + 1) * d);
                        long s = System.nanoTime();
                        SearchResult res = index.search(one, 10);
                        micros[i] = (System.nanoTime() - s) / 1000;
                        Set<Long> want = new HashSet<>();
                        for (long id : truth[i]) {
                            want.add(id);
                        }
                        for (long id : res.ids()) {
                            if (want.contains(id)) {
                                recall += 0.1;
                            }
                        }
                    }
                    faissRow(n, spec[0] + " " + spec[1] + "=" + spec[p], build, micros, recall / queries);
                }
            }
        }
    }

    private static float[] randomUnit(int n, int d, Random r) {
        float[] v = new float[n * d];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                float x = (float) r.nextGaussian();
                v[i * d + j] = x;
                norm += x * x;
            }
            float inv = (float) (1 / Math.sqrt(norm));
            for (int j = 0; j < d; j++) {
                v[i * d + j] *= inv;
            }
        }
        return v;
    }

    private static void faissRow(int n, String index, double buildSeconds, long[] micros, double recall) {
        Arrays.sort(micros);
        System.out.printf(Locale.ROOT, "| %,d | %s | %.1f s | %.2f ms | %.2f ms | %.3f |%n", n, index, buildSeconds,
                micros[micros.length / 2] / 1000.0, micros[(int) Math.ceil(micros.length * 0.99) - 1] / 1000.0, recall);
    }

    private static void row(String what, long[] micros) {
        Arrays.sort(micros);
        System.out.printf(Locale.ROOT, "| %s | median %.2f ms | p99 %.2f ms |%n", what, micros[micros.length / 2] / 1000.0,
                micros[(int) Math.ceil(micros.length * 0.99) - 1] / 1000.0);
    }
}
