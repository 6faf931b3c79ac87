package dev.docsearch.pipeline.crawl;

import dev.docsearch.core.model.Page;
import dev.docsearch.pipeline.corpus.CorpusStore;
import dev.docsearch.pipeline.corpus.PageDigest;
import dev.docsearch.pipeline.corpus.PageState;
import dev.docsearch.pipeline.extract.HtmlExtractor;
import dev.docsearch.pipeline.extract.MarkdownPages;
import dev.docsearch.pipeline.http.HttpFetcher;
import dev.docsearch.pipeline.http.Validators;
import dev.docsearch.pipeline.source.FetchOutcome;
import dev.docsearch.pipeline.source.LocalFolderSource;
import dev.docsearch.pipeline.source.Source;
import dev.docsearch.pipeline.source.SourceEntry;
import dev.docsearch.pipeline.source.SourceException;
import dev.docsearch.pipeline.source.SourceSpecs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The incremental crawl: lists every source, fetches only what may have changed, and commits the
 * new page set to the {@link CorpusStore}.
 * <ol>
 *   <li>List all sources. Any listing failure aborts before anything is fetched.</li>
 *   <li>Refuse (abort) when the pages gone from the listing exceed the allowed share.</li>
 *   <li>For each listed page: skip it when its lastmod equals the held copy's; otherwise fetch it,
 *       conditionally (ETag / Last-Modified) when a copy is held. Each fetched page is journaled at
 *       once, so a crash loses nothing and the next crawl resumes from the journal.</li>
 *   <li>Check the removal share again (pages that answered 404 count), then commit.</li>
 * </ol>
 * A page that fails to fetch keeps its held copy; a page that is gone (404/410, robots.txt) is
 * removed. Not thread-safe across crawls of one store: one crawl per artifact root at a time.
 */
public final class Crawler {

    private static final Logger log = LoggerFactory.getLogger(Crawler.class);

    private final CrawlSettings settings;
    private final MarkdownPages markdown = new MarkdownPages();
    private final HtmlExtractor html = new HtmlExtractor();

    public Crawler(CrawlSettings settings) {
        this.settings = settings;
    }

    public CrawlSettings settings() {
        return settings;
    }

    /** {@link #crawl(List, CorpusStore, CrawlProgress)} without progress reports. */
    public CrawlResult crawl(List<String> sourceSpecs, CorpusStore store)
            throws CrawlAbortedException, IOException, InterruptedException {
        return crawl(sourceSpecs, store, CrawlProgress.NONE);
    }

    /**
     * Crawls the sources into the store and commits.
     *
     * @param sourceSpecs {@code dir:PATH} folders and sitemap URLs (see {@link SourceSpecs})
     * @throws CrawlAbortedException when a source cannot be listed or too many pages would be
     *                               removed; the committed corpus is unchanged
     * @throws IOException           when the corpus cannot be written (disk full, read-only root)
     * @throws IllegalArgumentException when a spec is invalid or the list is empty
     */
    public CrawlResult crawl(List<String> sourceSpecs, CorpusStore store, CrawlProgress progress)
            throws CrawlAbortedException, IOException, InterruptedException {
        if (sourceSpecs.isEmpty()) {
            throw new IllegalArgumentException("no sources to crawl");
        }
        HttpFetcher fetcher = new HttpFetcher(settings.http());
        List<Source> sources = new ArrayList<>();
        for (String spec : sourceSpecs) {
            sources.add(SourceSpecs.open(spec, fetcher, markdown, html, settings.maxPageBytes(),
                    settings.maxSitemapBytes()));
        }
        return run(sources, fetcher, store, progress);
    }

    private record Listed(Source source, SourceEntry entry) { }

    private enum Kind { SKIPPED, FETCHED, NOT_MODIFIED, GONE, FAILED }

    /** How one listed page was settled: its new state (null when it has none) and, if fetched, the page. */
    private record Settled(String id, String location, Kind kind, PageState state, Page page, long bytes,
                           String reason, boolean resumed) { }

    private CrawlResult run(List<Source> sources, HttpFetcher fetcher, CorpusStore store, CrawlProgress progress)
            throws CrawlAbortedException, IOException, InterruptedException {
        long start = System.nanoTime();
        Map<String, PageState> committed = store.committed();
        Map<String, PageState> pending = store.pending();

        LinkedHashMap<String, Listed> listed = list(sources);
        List<Listed> toSettle = new ArrayList<>(listed.values());
        Map<String, PageState> keptBeyondLimit = new LinkedHashMap<>();
        int beyondLimit = 0;
        if (settings.maxPages() > 0 && toSettle.size() > settings.maxPages()) {
            for (Listed l : toSettle.subList(settings.maxPages(), toSettle.size())) {
                PageState held = committed.get(l.entry().id());
                if (held != null) {
                    keptBeyondLimit.put(l.entry().id(), held);
                }
            }
            beyondLimit = toSettle.size() - settings.maxPages();
            toSettle = new ArrayList<>(toSettle.subList(0, settings.maxPages()));
            log.info("crawl: page limit {}: {} listed pages left out ({} of them kept as held)",
                    settings.maxPages(), beyondLimit, keptBeyondLimit.size());
        }

        Set<String> goneFromListing = new TreeSet<>(committed.keySet());
        goneFromListing.removeAll(listed.keySet());
        requireRemovalAllowed(goneFromListing.size(), committed.size(), "gone from the sources' listings");

        Map<String, Settled> settled = settle(toSettle, committed, pending, store, progress);

        List<PageState> next = new ArrayList<>();
        for (String id : listed.keySet()) {
            Settled s = settled.get(id);
            if (s != null && s.state() != null) {
                next.add(s.state());
            } else if (keptBeyondLimit.containsKey(id)) {
                next.add(keptBeyondLimit.get(id));
            }
        }
        Set<String> removed = new TreeSet<>(committed.keySet());
        for (PageState state : next) {
            removed.remove(state.id());
        }
        requireRemovalAllowed(removed.size(), committed.size(), "gone from the listings or gone when fetched: 404/410, robots.txt");
        store.commit(next);

        Set<String> added = new TreeSet<>();
        Set<String> changed = new TreeSet<>();
        Set<String> unchanged = new TreeSet<>();
        List<Page> pages = new ArrayList<>(next.size());
        for (PageState state : next) {
            PageState before = committed.get(state.id());
            if (before == null) {
                added.add(state.id());
            } else if (!before.contentHash().equals(state.contentHash())) {
                changed.add(state.id());
            } else {
                unchanged.add(state.id());
            }
            Settled s = settled.get(state.id());
            pages.add(s != null && s.page() != null ? s.page() : store.readPage(state.contentHash()));
        }

        CrawlStats stats = stats(sources.size(), listed.size(), settled.values(), beyondLimit, fetcher,
                Duration.ofNanos(System.nanoTime() - start));
        CrawlResult result = new CrawlResult(pages, added, changed, removed, unchanged, stats);
        log.info("crawl committed: {} resumed={} gone={} requests={} retries={}", result.summary(),
                stats.resumed(), stats.gone(), stats.httpRequests(), stats.httpRetries());
        return result;
    }

    private LinkedHashMap<String, Listed> list(List<Source> sources)
            throws CrawlAbortedException, InterruptedException {
        long start = System.nanoTime();
        LinkedHashMap<String, Listed> listed = new LinkedHashMap<>();
        int duplicates = 0;
        for (Source source : sources) {
            List<SourceEntry> entries;
            try {
                entries = source.list();
            } catch (SourceException e) {
                throw new CrawlAbortedException("crawl aborted, corpus left unchanged: source " + source.spec()
                        + " could not be listed: " + e.getMessage(), e);
            }
            for (SourceEntry entry : entries) {
                if (listed.putIfAbsent(entry.id(), new Listed(source, entry)) != null) {
                    duplicates++;
                }
            }
        }
        if (duplicates > 0) {
            log.warn("crawl: {} listed pages had an id already listed by an earlier source; kept the first", duplicates);
        }
        log.info("crawl: listed {} pages from {} sources in {} ms", listed.size(), sources.size(),
                (System.nanoTime() - start) / 1_000_000);
        return listed;
    }

    private void requireRemovalAllowed(int removing, int committedCount, String what) throws CrawlAbortedException {
        if (committedCount == 0 || removing == 0) {
            return;
        }
        double share = (double) removing / committedCount;
        if (share > settings.maxRemovedShare()) {
            throw new CrawlAbortedException(String.format(Locale.ROOT,
                    "crawl aborted, corpus left unchanged: it would remove %d of %d pages (%.1f%%, %s), "
                            + "more than the allowed %.1f%% (raise the maximum removed share to accept)",
                    removing, committedCount, share * 100, what, settings.maxRemovedShare() * 100));
        }
    }

    private Map<String, Settled> settle(List<Listed> toSettle, Map<String, PageState> committed,
                                        Map<String, PageState> pending, CorpusStore store, CrawlProgress progress)
            throws IOException, InterruptedException {
        Map<String, Settled> settled = new HashMap<>();
        int total = toSettle.size();
        int done = 0;
        ExecutorService pool = Executors.newFixedThreadPool(threadCount(toSettle), namedThreads());
        try {
            CompletionService<Settled> completion = new ExecutorCompletionService<>(pool);
            int submitted = 0;
            for (Listed l : toSettle) {
                SourceEntry entry = l.entry();
                boolean fromPending = pending.containsKey(entry.id());
                // What we hold, wherever it came from: kept when this fetch fails.
                PageState heldAny = fromPending ? pending.get(entry.id()) : committed.get(entry.id());
                // What we hold for this very location: the basis for skipping and conditional GETs.
                PageState held = heldAny != null && heldAny.location().equals(entry.location()) ? heldAny : null;
                if (held != null && entry.lastmod() != null && entry.lastmod().equals(held.lastmod())) {
                    settled.put(entry.id(), new Settled(entry.id(), entry.location(), Kind.SKIPPED, held, null, 0,
                            null, fromPending));
                    progress.update(++done, total);
                    continue;
                }
                completion.submit(() -> fetchOne(l, held, heldAny, fromPending && held != null, store));
                submitted++;
            }
            for (int i = 0; i < submitted; i++) {
                Settled s;
                try {
                    s = completion.take().get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof IOException io) {
                        throw io;
                    }
                    if (cause instanceof InterruptedException ie) {
                        throw ie;
                    }
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IOException("page fetch failed: " + cause, cause);
                }
                settled.put(s.id(), s);
                progress.update(++done, total);
            }
        } finally {
            pool.shutdownNow();
            // No fetch may outlive the crawl (and write to a store the caller is about to close).
            if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
                log.warn("crawl: fetch threads still running 60 s after the crawl ended");
            }
        }
        return settled;
    }

    private Settled fetchOne(Listed l, PageState held, PageState heldAny, boolean resumed, CorpusStore store)
            throws IOException, InterruptedException {
        SourceEntry entry = l.entry();
        FetchOutcome outcome = l.source().fetch(entry, held == null ? Validators.NONE : held.validators());
        Instant now = Instant.now();
        if (outcome instanceof FetchOutcome.Fetched f) {
            String hash = PageDigest.of(f.page());
            PageState state = new PageState(entry.id(), entry.location(), entry.lastmod(),
                    f.validators().etag(), f.validators().lastModified(), hash, now);
            store.record(state, f.page());
            return new Settled(entry.id(), entry.location(), Kind.FETCHED, state, f.page(), f.bytes(), null, false);
        }
        if (outcome instanceof FetchOutcome.NotModified nm) {
            if (held == null) {
                return failed(entry, heldAny, "answered 304 Not Modified to an unconditional request");
            }
            PageState state = new PageState(entry.id(), entry.location(), entry.lastmod(),
                    nm.validators().etag(), nm.validators().lastModified(), held.contentHash(), now);
            store.record(state, null);
            return new Settled(entry.id(), entry.location(), Kind.NOT_MODIFIED, state, null, 0, null, resumed);
        }
        if (outcome instanceof FetchOutcome.Gone g) {
            log.info("page {} is gone: {}", entry.id(), g.reason());
            return new Settled(entry.id(), entry.location(), Kind.GONE, null, null, 0, g.reason(), false);
        }
        return failed(entry, heldAny, ((FetchOutcome.Failed) outcome).reason());
    }

    private static Settled failed(SourceEntry entry, PageState heldAny, String reason) {
        log.warn("page {} not fetched ({}): {}", entry.id(), heldAny == null ? "left out" : "keeping the held copy",
                reason);
        return new Settled(entry.id(), entry.location(), Kind.FAILED, heldAny, null, 0, reason, false);
    }

    private int threadCount(List<Listed> toSettle) {
        Set<String> hosts = new HashSet<>();
        boolean local = false;
        for (Listed l : toSettle) {
            if (l.source() instanceof LocalFolderSource) {
                local = true;
            } else {
                String host = URI.create(l.entry().location()).getHost();
                hosts.add(host == null ? "" : host);
            }
        }
        int threads = hosts.size() * settings.http().maxConcurrencyPerHost() + (local ? settings.localThreads() : 0);
        return Math.max(1, Math.min(64, threads));
    }

    private static ThreadFactory namedThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "crawl-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static CrawlStats stats(int sources, int listed, Iterable<Settled> settled, int beyondLimit,
                                    HttpFetcher fetcher, Duration elapsed) {
        int fetched = 0;
        int notModified = 0;
        int skipped = 0;
        int resumed = 0;
        int gone = 0;
        int failed = 0;
        long bytes = 0;
        List<CrawlFailure> failures = new ArrayList<>();
        for (Settled s : settled) {
            switch (s.kind()) {
                case FETCHED -> {
                    fetched++;
                    bytes += s.bytes();
                }
                case NOT_MODIFIED -> notModified++;
                case SKIPPED -> skipped++;
                case GONE -> gone++;
                case FAILED -> {
                    failed++;
                    failures.add(new CrawlFailure(s.id(), s.location(), s.reason()));
                }
            }
            if (s.resumed()) {
                resumed++;
            }
        }
        failures.sort(java.util.Comparator.comparing(CrawlFailure::id));
        return new CrawlStats(sources, listed, fetched, notModified, skipped, resumed, gone, failed, beyondLimit,
                fetcher.requestCount(), fetcher.retryCount(), bytes, elapsed, failures);
    }
}
