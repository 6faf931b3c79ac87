package dev.docsearch.core.release;

import dev.docsearch.core.cache.EmbeddingCache;
import dev.docsearch.core.chunk.Chunker;
import dev.docsearch.core.embed.Embedder;
import dev.docsearch.core.model.Chunk;
import dev.docsearch.core.model.Page;
import dev.docsearch.core.vector.VectorIndexOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Pages in, a committed release out: chunk, embed what the cache does not already hold, write.
 *
 * <p>The build path shared by the pipeline and the eval tool. Embedding runs on a few worker threads (the
 * embedder is thread-safe), in batches, and reports progress to a {@link Progress} listener.
 */
public final class ReleaseBuilder {

    private static final Logger log = LoggerFactory.getLogger(ReleaseBuilder.class);
    private static final int BATCH = 32;
    private static final int FLUSH_EVERY = 4096;

    private final ReleaseStore store;
    private final Embedder embedder;
    private final Chunker chunker;
    private final VectorIndexOptions vectorOptions;
    private final EmbeddingCache cache;
    private final int threads;
    private final Progress progress;

    /** Receives progress of the long steps; called from the building thread. */
    @FunctionalInterface
    public interface Progress {
        void update(String step, long done, long total);

        Progress NONE = (step, done, total) -> { };
    }

    /**
     * What a build produced.
     *
     * @param manifest       the committed (not yet published) release
     * @param chunksEmbedded chunks whose vectors were computed now
     * @param chunksReused   chunks whose vectors came from the cache
     * @param millis         wall time of the build
     */
    public record Result(Manifest manifest, int chunksEmbedded, int chunksReused, long millis) {
    }

    /**
     * @param cache   the embedding cache of the embedder's model, or null to embed everything
     * @param threads embedding worker threads (>= 1)
     */
    public ReleaseBuilder(ReleaseStore store, Embedder embedder, Chunker chunker, VectorIndexOptions vectorOptions,
                          EmbeddingCache cache, int threads, Progress progress) {
        this.store = Objects.requireNonNull(store, "store");
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.chunker = Objects.requireNonNull(chunker, "chunker");
        this.vectorOptions = Objects.requireNonNull(vectorOptions, "vectorOptions");
        this.cache = cache;
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        this.threads = threads;
        this.progress = progress == null ? Progress.NONE : progress;
    }

    /** Builds and commits a release of {@code pages}; {@code parent} is the live release id or null. */
    public Result build(List<Page> pages, String parent) throws IOException {
        return build(pages, parent, ReusedChunks.NONE);
    }

    /**
     * Builds and commits a release of {@code pages}, taking the chunks of the pages that {@code known} holds
     * from there instead of cutting them again.
     *
     * @param parent the live release id or null
     */
    public Result build(List<Page> pages, String parent, ReusedChunks known) throws IOException {
        long start = System.nanoTime();
        List<Chunk> chunks = new ArrayList<>();
        int chunked = 0;
        for (Page page : pages) {
            List<Chunk> earlier = known.of(page.id());
            if (earlier != null) {
                chunks.addAll(earlier);
            } else {
                chunks.addAll(chunker.chunk(page));
                chunked++;
            }
        }
        log.info("pages chunked pages={} chunked={} reused={} chunks={} ms={}", pages.size(), chunked,
                pages.size() - chunked, chunks.size(), (System.nanoTime() - start) / 1_000_000);

        float[][] vectors = new float[chunks.size()][];
        Map<String, List<Integer>> missing = new LinkedHashMap<>();
        for (int i = 0; i < chunks.size(); i++) {
            String key = EmbeddingCache.key(chunks.get(i).embeddingText());
            float[] cached = cache == null ? null : cache.get(key);
            if (cached != null) {
                vectors[i] = cached;
            } else {
                missing.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            }
        }
        int reused = chunks.size() - missing.values().stream().mapToInt(List::size).sum();
        int embedded = embedMissing(chunks, missing, vectors);

        var model = embedder.model();
        ReleaseWriter.Settings settings = new ReleaseWriter.Settings(
                new Manifest.ModelRef(model.name(), model.sha256(), model.dimension()), chunker.parameters(),
                vectorOptions, parent);
        try (ReleaseWriter writer = ReleaseWriter.begin(store, settings)) {
            for (int i = 0; i < chunks.size(); i++) {
                writer.add(chunks.get(i), vectors[i]);
            }
            Manifest manifest = writer.commit();
            long millis = (System.nanoTime() - start) / 1_000_000;
            log.info("release built id={} pages={} chunks={} embedded={} reused={} ms={}", manifest.id(),
                    manifest.pages(), manifest.chunks(), embedded, reused, millis);
            return new Result(manifest, embedded, reused, millis);
        }
    }

    /** Embeds each distinct missing text once, in batches across worker threads; returns texts embedded. */
    private int embedMissing(List<Chunk> chunks, Map<String, List<Integer>> missing, float[][] vectors) throws IOException {
        if (missing.isEmpty()) {
            return 0;
        }
        List<String> keys = new ArrayList<>(missing.keySet());
        // Sorting by length makes batches of similar lengths, so little compute is spent on padding.
        keys.sort((a, b) -> Integer.compare(text(chunks, missing, a).length(), text(chunks, missing, b).length()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "embed-worker");
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        int done = 0;
        int sinceFlush = 0;
        long lastLog = start;
        try {
            List<Future<List<float[]>>> futures = new ArrayList<>();
            List<List<String>> batches = new ArrayList<>();
            for (int i = 0; i < keys.size(); i += BATCH) {
                List<String> batchKeys = keys.subList(i, Math.min(keys.size(), i + BATCH));
                List<String> texts = batchKeys.stream().map(k -> text(chunks, missing, k)).toList();
                batches.add(batchKeys);
                futures.add(pool.submit(() -> embedder.embedAll(texts)));
            }
            for (int b = 0; b < futures.size(); b++) {
                List<float[]> result = futures.get(b).get();
                List<String> batchKeys = batches.get(b);
                for (int j = 0; j < batchKeys.size(); j++) {
                    for (int idx : missing.get(batchKeys.get(j))) {
                        vectors[idx] = result.get(j);
                    }
                    if (cache != null) {
                        cache.put(batchKeys.get(j), result.get(j));
                    }
                }
                done += batchKeys.size();
                sinceFlush += batchKeys.size();
                if (cache != null && sinceFlush >= FLUSH_EVERY) {
                    cache.flush();
                    sinceFlush = 0;
                }
                progress.update("embed", done, keys.size());
                long now = System.nanoTime();
                if (now - lastLog > 10_000_000_000L) {
                    lastLog = now;
                    double rate = done / ((now - start) / 1e9);
                    log.info("embedding progress done={} total={} perSecond={} etaSeconds={}", done, keys.size(),
                            String.format("%.1f", rate), Math.round((keys.size() - done) / Math.max(rate, 1e-9)));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while embedding", e);
        } catch (ExecutionException e) {
            throw new IOException("embedding failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
            if (cache != null) {
                cache.flush();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        log.info("chunks embedded count={} seconds={} perSecond={}", done, String.format("%.1f", seconds),
                String.format("%.1f", done / Math.max(seconds, 1e-9)));
        return done;
    }

    private static String text(List<Chunk> chunks, Map<String, List<Integer>> missing, String key) {
        return chunks.get(missing.get(key).get(0)).embeddingText();
    }
}
