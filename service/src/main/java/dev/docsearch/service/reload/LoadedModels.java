package dev.docsearch.service.reload;

import dev.docsearch.core.embed.Embedder;
import dev.docsearch.core.embed.EmbedderOptions;
import dev.docsearch.core.embed.ModelInfo;
import dev.docsearch.core.embed.ModelStore;
import dev.docsearch.core.release.Manifest;
import dev.docsearch.core.search.CachingQueryEmbedder;
import dev.docsearch.core.search.QueryEmbedder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The embedding models that serving releases use, loaded once and shared: consecutive releases nearly always
 * name the same model, and loading one costs about a second and 300 MB. Each model is located in the artifact
 * root with plain file reads (sizes and checksums checked, see {@link ModelStore#find}; nothing is installed
 * or downloaded) and closed when the last release using it lets go.
 *
 * <p>Thread-safe; a model is loaded outside the lock, so letting go of one never waits for a load.
 */
public final class LoadedModels implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LoadedModels.class);

    private final ModelStore store;
    private final EmbedderOptions options;
    private final int queryCacheSize;
    private final Map<String, Loaded> loaded = new HashMap<>(); // guarded by this
    private boolean closed; // guarded by this

    /**
     * @param queryCacheSize query vectors each model keeps in an LRU cache, 0 for none
     */
    public LoadedModels(ModelStore store, EmbedderOptions options, int queryCacheSize) {
        this.store = store;
        this.options = options;
        this.queryCacheSize = queryCacheSize;
    }

    /**
     * A lease on the model a release was built with, loading it if no release uses it yet.
     *
     * @throws IOException with the reason when the model directory is missing, incomplete, or does not load
     */
    public Lease acquire(Manifest.ModelRef ref) throws IOException {
        String key = ref.name() + "/" + ref.sha256();
        synchronized (this) {
            checkOpen();
            Loaded model = loaded.get(key);
            if (model != null) {
                model.users++;
                return new Lease(model);
            }
        }
        // Loading takes a second or more: not under the lock, which request threads take to let go of a model.
        long start = System.nanoTime();
        ModelInfo info = store.find(ref.name(), ref.sha256());
        if (info.dimension() != ref.dimension()) {
            throw new IOException("model " + ref.name() + " " + ref.sha256() + " produces " + info.dimension()
                    + "-d vectors, the release expects " + ref.dimension());
        }
        Embedder embedder = openVerified(info);
        synchronized (this) {
            Loaded model = loaded.get(key);
            if (closed || model != null) {
                embedder.close(); // closed meanwhile, or loaded by a concurrent caller
                checkOpen();
            } else {
                QueryEmbedder queries = queryCacheSize > 0
                        ? new CachingQueryEmbedder(embedder::embedQuery, queryCacheSize)
                        : embedder::embedQuery;
                model = new Loaded(key, embedder, queries);
                loaded.put(key, model);
                log.info("model loaded name={} sha256={} ms={}", ref.name(), ref.sha256(),
                        (System.nanoTime() - start) / 1_000_000);
            }
            model.users++;
            return new Lease(model);
        }
    }

    /**
     * Opens the embedder while another thread checks the model's checksums: both take about a second at start-up,
     * and side by side the model is ready sooner. Sizes were checked before (a truncated file fails fast); a
     * checksum mismatch closes the embedder, so a model that fails verification never embeds a query.
     */
    private Embedder openVerified(ModelInfo info) throws IOException {
        CompletableFuture<Void> checksums = new CompletableFuture<>();
        Thread hasher = new Thread(() -> {
            try {
                store.verifyChecksums(info);
                checksums.complete(null);
            } catch (IOException | RuntimeException e) {
                checksums.completeExceptionally(e);
            }
        }, "model-checksum");
        hasher.setDaemon(true);
        hasher.start();
        Embedder embedder;
        try {
            embedder = Embedder.open(info, options);
        } catch (IOException | RuntimeException e) {
            awaitQuietly(checksums);
            throw e;
        }
        try {
            checksums.join();
            return embedder;
        } catch (CompletionException e) {
            embedder.close();
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    private static void awaitQuietly(CompletableFuture<Void> task) {
        try {
            task.join();
        } catch (CompletionException e) {
            // The load failed already; that is the error reported.
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("models are closed");
        }
    }

    /** Models loaded now (for tests and metrics). */
    public synchronized int size() {
        return loaded.size();
    }

    private synchronized void let(Loaded model) {
        if (--model.users == 0) {
            loaded.remove(model.key);
            model.embedder.close();
            log.info("model unloaded key={}", model.key);
        }
    }

    /** Refuses new leases; models still leased are closed when their last lease is. */
    @Override
    public synchronized void close() {
        closed = true;
    }

    private static final class Loaded {
        final String key;
        final Embedder embedder;
        final QueryEmbedder queries;
        int users;

        Loaded(String key, Embedder embedder, QueryEmbedder queries) {
            this.key = key;
            this.embedder = embedder;
            this.queries = queries;
        }
    }

    /** One user's hold on a loaded model; closing it more than once is harmless. */
    public final class Lease implements AutoCloseable {
        private final Loaded model;
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Lease(Loaded model) {
            this.model = model;
        }

        /** Query embeddings, through the LRU cache when there is one. */
        public QueryEmbedder queries() {
            return model.queries;
        }

        public Embedder embedder() {
            return model.embedder;
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                let(model);
            }
        }
    }
}
