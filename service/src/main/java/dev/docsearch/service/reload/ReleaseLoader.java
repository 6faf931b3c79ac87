package dev.docsearch.service.reload;

import dev.docsearch.core.release.Manifest;
import dev.docsearch.core.release.Release;
import dev.docsearch.core.release.ReleaseRejectedException;
import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.core.search.HybridSearcher;
import dev.docsearch.core.suggest.HeadingSuggester;
import dev.docsearch.core.search.SearchMode;
import dev.docsearch.core.search.SearchRequest;
import dev.docsearch.core.vector.VectorIndexOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns a release id into a {@link ServingRelease} ready for traffic: verify and open the release (core's
 * checks of sizes, checksums and counts), lease its model, build the searcher, and warm it up with a few
 * queries in every mode so the first user does not pay for cold pages and lazy initialisation.
 * Anything that fails rejects the release with the reason; nothing is left open.
 *
 * <p>Thread-safe (loads are independent), though the watcher loads one release at a time.
 */
public final class ReleaseLoader {

    private static final Logger log = LoggerFactory.getLogger(ReleaseLoader.class);
    /** Short, common questions that touch the keyword index, the vectors, the chunk store and the highlighter. */
    static final List<String> WARM_UP_QUERIES = List.of("how to configure permissions", "bucket versioning",
            "instance types and memory");

    private final ReleaseStore store;
    private final LoadedModels models;
    private final HybridSearcher.SnippetMaker snippets;
    private final int candidates;
    private final Clock clock;
    private final AtomicInteger open = new AtomicInteger();

    public ReleaseLoader(ReleaseStore store, LoadedModels models, HybridSearcher.SnippetMaker snippets,
                         int candidates, Clock clock) {
        this.store = store;
        this.models = models;
        this.snippets = snippets;
        this.candidates = candidates;
        this.clock = clock;
    }

    /**
     * Loads, verifies and warms up release {@code id}. The caller owns the result's first reference
     * (hand it to {@link ReleaseHolder#swap}).
     *
     * @param quickWarmUp one hybrid warm-up query instead of every query in every mode: for the first release,
     *                    when every second of warm-up is a second of 503s
     * @throws ReleaseRejectedException with the reason the release cannot be served
     */
    public ServingRelease load(String id, boolean quickWarmUp) throws ReleaseRejectedException {
        long start = System.nanoTime();
        Manifest.ModelRef ref = store.manifest(id).model();
        // The model (checksummed and loaded: about a second when new) and the release (checksummed and
        // opened) are independent until the searcher needs both: prepare them side by side.
        CompletableFuture<LoadedModels.Lease> modelFuture = CompletableFuture.supplyAsync(() -> {
            try {
                return models.acquire(ref);
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        }, task -> {
            Thread t = new Thread(task, "model-loader");
            t.setDaemon(true);
            t.start();
        });
        Release release;
        try {
            release = Release.open(store, id, VectorIndexOptions.DEFAULT);
        } catch (ReleaseRejectedException | RuntimeException | Error e) {
            letGo(modelFuture);
            throw e;
        }
        LoadedModels.Lease model = null;
        try {
            if (!ref.equals(release.manifest().model())) {
                throw new ReleaseRejectedException(id, "manifest.json changed while the release was being opened");
            }
            try {
                model = modelFuture.join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw new ReleaseRejectedException(id, "its model " + ref.name() + " (sha256 " + ref.sha256()
                        + ") cannot be loaded from the artifact root: " + cause.getMessage(), cause);
            }
            HybridSearcher searcher = new HybridSearcher(release, model.queries(), snippets, candidates);
            long warmStart = System.nanoTime();
            try {
                if (quickWarmUp) {
                    // A hybrid query runs every part (BM25, the model, FAISS, chunks, snippets) once.
                    searcher.search(SearchRequest.of(WARM_UP_QUERIES.get(0), 10));
                } else {
                    for (String q : WARM_UP_QUERIES) {
                        for (SearchMode mode : SearchMode.values()) {
                            searcher.search(SearchRequest.of(q, 10).withMode(mode));
                        }
                    }
                }
            } catch (RuntimeException e) {
                throw new ReleaseRejectedException(id, "a warm-up query failed: " + e, e);
            }
            HeadingSuggester suggester;
            try {
                suggester = HeadingSuggester.build(release.chunks());
            } catch (IOException e) {
                throw new ReleaseRejectedException(id, "its titles and headings cannot be indexed for suggestions: "
                        + e.getMessage(), e);
            }
            ServingRelease serving = new ServingRelease(release, model, searcher, suggester, clock.instant(), open);
            log.info("release loaded id={} pages={} chunks={} model={} warmup_ms={} ms={}", id,
                    release.manifest().pages(), release.manifest().chunks(), ref.name(),
                    (System.nanoTime() - warmStart) / 1_000_000, (System.nanoTime() - start) / 1_000_000);
            return serving;
        } catch (ReleaseRejectedException | RuntimeException | Error e) {
            if (model != null) {
                model.close();
            } else {
                letGo(modelFuture);
            }
            release.close();
            throw e;
        }
    }

    /** Waits for a model load that is no longer wanted and lets go of it, so a rejection leaves nothing behind. */
    private static void letGo(CompletableFuture<LoadedModels.Lease> model) {
        try {
            model.join().close();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            // The model did not load either; nothing to let go of.
        }
    }

    /** Releases loaded and not yet closed, live or draining: 1 in a steady state, 0 before the first. */
    public int openReleases() {
        return open.get();
    }
}
