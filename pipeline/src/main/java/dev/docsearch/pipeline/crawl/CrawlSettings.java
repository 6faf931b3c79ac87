package dev.docsearch.pipeline.crawl;

import dev.docsearch.pipeline.http.HttpSettings;

import java.util.Objects;

/**
 * How a crawl behaves.
 *
 * @param http            politeness and patience of HTTP fetching
 * @param maxPageBytes    largest page accepted (HTTP body or file); larger ones fail
 * @param maxSitemapBytes largest sitemap accepted, after decompression
 * @param maxRemovedShare the largest share (0..1) of the committed pages one crawl may remove; a
 *                        crawl that would remove more aborts and changes nothing
 * @param maxPages        when above 0, only the first this many listed pages (in source order) are
 *                        fetched; pages listed past the limit that the corpus holds are kept as
 *                        they are, the others are left out (a quick first run)
 * @param localThreads    threads reading and converting local files
 */
public record CrawlSettings(HttpSettings http, long maxPageBytes, long maxSitemapBytes, double maxRemovedShare,
                            int maxPages, int localThreads) {

    public CrawlSettings {
        Objects.requireNonNull(http, "http");
        if (maxPageBytes < 1) {
            throw new IllegalArgumentException("maxPageBytes must be >= 1, got " + maxPageBytes);
        }
        if (maxSitemapBytes < 1) {
            throw new IllegalArgumentException("maxSitemapBytes must be >= 1, got " + maxSitemapBytes);
        }
        if (!(maxRemovedShare >= 0 && maxRemovedShare <= 1)) {
            throw new IllegalArgumentException("maxRemovedShare must be within 0..1, got " + maxRemovedShare);
        }
        if (maxPages < 0) {
            throw new IllegalArgumentException("maxPages must be >= 0 (0 = no limit), got " + maxPages);
        }
        if (localThreads < 1) {
            throw new IllegalArgumentException("localThreads must be >= 1, got " + localThreads);
        }
    }

    /**
     * {@link HttpSettings#defaults()}, pages up to 5 MiB, sitemaps up to 50 MiB (the protocol's
     * limit), at most 20% of pages removed per crawl, no page limit, one local thread per core.
     */
    public static CrawlSettings defaults() {
        return new CrawlSettings(HttpSettings.defaults(), 5L * 1024 * 1024, 50L * 1024 * 1024, 0.20, 0,
                Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
    }

    public CrawlSettings withHttp(HttpSettings v) {
        return new CrawlSettings(v, maxPageBytes, maxSitemapBytes, maxRemovedShare, maxPages, localThreads);
    }

    public CrawlSettings withMaxRemovedShare(double v) {
        return new CrawlSettings(http, maxPageBytes, maxSitemapBytes, v, maxPages, localThreads);
    }

    public CrawlSettings withMaxPages(int v) {
        return new CrawlSettings(http, maxPageBytes, maxSitemapBytes, maxRemovedShare, v, localThreads);
    }
}
