package dev.docsearch.pipeline.crawl;

/** Told after each page is settled (fetched, skipped as unchanged, or failed); called from one thread. */
@FunctionalInterface
public interface CrawlProgress {

    /** Does nothing. */
    CrawlProgress NONE = (done, total) -> { };

    /**
     * @param done  pages settled so far
     * @param total pages to settle in this crawl
     */
    void update(int done, int total);
}
