package dev.docsearch.service.reload;

import dev.docsearch.core.release.Manifest;
import dev.docsearch.core.release.Release;
import dev.docsearch.core.search.HybridSearcher;
import dev.docsearch.core.suggest.HeadingSuggester;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An opened release with its searcher and model, reference-counted the way Lucene's {@code SearcherManager}
 * counts searchers: the {@link ReleaseHolder} holds one reference while the release is live, each request
 * holds one while it searches, and the release's files and native memory are freed when the count reaches
 * zero. A release that has reached zero can never be acquired again.
 */
public final class ServingRelease {

    private static final Logger log = LoggerFactory.getLogger(ServingRelease.class);

    private final Release release;
    private final LoadedModels.Lease model;
    private final HybridSearcher searcher;
    private final HeadingSuggester suggester;
    private final Instant loadedAt;
    private final AtomicInteger openCounter;
    /** Starts at 1: the reference of whoever created it, handed to the holder. */
    private final AtomicInteger refs = new AtomicInteger(1);

    ServingRelease(Release release, LoadedModels.Lease model, HybridSearcher searcher, HeadingSuggester suggester,
                   Instant loadedAt, AtomicInteger openCounter) {
        this.release = release;
        this.model = model;
        this.searcher = searcher;
        this.suggester = suggester;
        this.loadedAt = loadedAt;
        this.openCounter = openCounter;
        openCounter.incrementAndGet();
    }

    public String id() {
        return release.id();
    }

    public Manifest manifest() {
        return release.manifest();
    }

    public HybridSearcher searcher() {
        return searcher;
    }

    /** Completions from this release's titles and headings; closed with the release. */
    public HeadingSuggester suggester() {
        return suggester;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    /** References held now: 1 for the holder while live, plus one per request in flight; 0 once closed. */
    public int references() {
        return refs.get();
    }

    /** Takes a reference unless the release is already closed. */
    boolean tryIncRef() {
        for (int n = refs.get(); n > 0; n = refs.get()) {
            if (refs.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Gives a reference back; the last one closes the release. */
    void decRef() {
        int n = refs.decrementAndGet();
        if (n == 0) {
            close();
        } else if (n < 0) {
            throw new IllegalStateException("release " + id() + " released more often than acquired");
        }
    }

    private void close() {
        try {
            suggester.close();
        } catch (java.io.IOException e) {
            log.warn("suggester of release {} did not close cleanly: {}", id(), e.toString());
        }
        try {
            release.close();
        } finally {
            model.close();
            int open = openCounter.decrementAndGet();
            log.info("serving release closed id={} open_releases={}", id(), open);
        }
    }
}
