package dev.docsearch.pipeline.source;

import dev.docsearch.pipeline.http.Validators;

import java.util.List;

/**
 * A place pages come from: lists what it holds now, and fetches one listed page. Implementations
 * are thread-safe: {@link #fetch} is called from several threads at once.
 */
public interface Source {

    /** How this source was named, e.g. {@code dir:../shared/data/awsdocs} or a sitemap URL. */
    String spec();

    /**
     * Lists the pages this source holds now, in a stable order.
     *
     * @throws SourceException when the listing is incomplete or cannot be trusted (any sitemap of
     *                         an index failing counts); a caller must then change nothing
     */
    List<SourceEntry> list() throws SourceException, InterruptedException;

    /**
     * Fetches and extracts one listed page. Page-level problems are outcomes, not exceptions.
     *
     * @param known validators from the last fetch of this page; {@link Validators#NONE} for an
     *              unconditional fetch
     */
    FetchOutcome fetch(SourceEntry entry, Validators known) throws InterruptedException;
}
