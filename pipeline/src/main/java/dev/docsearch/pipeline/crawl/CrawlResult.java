package dev.docsearch.pipeline.crawl;

import dev.docsearch.core.model.Page;

import java.util.List;
import java.util.Set;

/**
 * What a committed crawl produced: every current page, and how the page set moved against the
 * corpus committed before it, so that a build re-does only what changed. {@code added},
 * {@code changed} and {@code unchanged} partition the ids of {@code pages}; {@code removed} holds
 * ids that were committed before and are no longer. A page is "changed" only when its extracted
 * content's hash changed, whatever its lastmod or validators did.
 *
 * @param pages     all current pages, in source listing order
 * @param added     ids new to the corpus
 * @param changed   ids whose content hash changed
 * @param removed   ids gone from the corpus
 * @param unchanged ids whose content hash is the same as before
 * @param stats     the crawl's figures
 */
public record CrawlResult(List<Page> pages, Set<String> added, Set<String> changed, Set<String> removed,
                          Set<String> unchanged, CrawlStats stats) {

    public CrawlResult {
        pages = List.copyOf(pages);
        added = Set.copyOf(added);
        changed = Set.copyOf(changed);
        removed = Set.copyOf(removed);
        unchanged = Set.copyOf(unchanged);
    }

    /** Whether anything differs from the corpus before the crawl. */
    public boolean hasChanges() {
        return !added.isEmpty() || !changed.isEmpty() || !removed.isEmpty();
    }

    /** One line for logs and scripts. */
    public String summary() {
        return "pages=" + pages.size() + " pages_added=" + added.size() + " pages_changed=" + changed.size()
                + " pages_removed=" + removed.size() + " pages_unchanged=" + unchanged.size()
                + " fetched=" + stats.fetched() + " not_modified=" + stats.notModified()
                + " skipped_by_lastmod=" + stats.skippedByLastmod() + " failed=" + stats.failed()
                + " seconds=" + String.format(java.util.Locale.ROOT, "%.1f", stats.elapsed().toMillis() / 1000.0);
    }
}
