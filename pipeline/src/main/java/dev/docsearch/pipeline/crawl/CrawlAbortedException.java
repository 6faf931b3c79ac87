package dev.docsearch.pipeline.crawl;

/**
 * A crawl stopped before committing anything: a source's listing failed (sitemap HTTP error,
 * unparsable XML, missing folder) or the crawl would remove more pages than allowed. The corpus
 * index is as it was before the crawl.
 */
public final class CrawlAbortedException extends Exception {

    public CrawlAbortedException(String message) {
        super(message);
    }

    public CrawlAbortedException(String message, Throwable cause) {
        super(message, cause);
    }
}
