package dev.docsearch.pipeline.crawl;

import java.time.Duration;
import java.util.List;

/**
 * The figures of one crawl.
 *
 * @param sources          sources listed
 * @param listed           pages the sources listed (after de-duplication, before the page limit)
 * @param fetched          pages read in full (HTTP 200 or a file read)
 * @param notModified      conditional GETs answered 304
 * @param skippedByLastmod pages not requested because their lastmod had not moved
 * @param resumed          pages taken from an unfinished earlier crawl's journal instead of fetching
 * @param gone             listed pages that were gone (404/410, robots.txt, off-site redirect)
 * @param failed           pages that could not be fetched (see {@code failures})
 * @param beyondLimit      listed pages left out by the page limit (kept as they were if held)
 * @param httpRequests     HTTP requests sent (sitemaps, robots.txt and retries included)
 * @param httpRetries      of which retries
 * @param bytesFetched     bytes of pages read
 * @param elapsed          wall time of the crawl
 * @param failures         the failed pages with their reasons
 */
public record CrawlStats(int sources, int listed, int fetched, int notModified, int skippedByLastmod,
                         int resumed, int gone, int failed, int beyondLimit, long httpRequests,
                         long httpRetries, long bytesFetched, Duration elapsed, List<CrawlFailure> failures) {

    public CrawlStats {
        failures = List.copyOf(failures);
    }
}
