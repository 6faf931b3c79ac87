package dev.docsearch.pipeline.corpus;

import dev.docsearch.pipeline.http.Validators;

import java.time.Instant;
import java.util.Objects;

/**
 * What the corpus remembers about one page between crawls: where it came from, the validators
 * that let the next crawl skip it, and the hash of its extracted content (which names the stored
 * {@link dev.docsearch.core.model.Page}).
 *
 * @param id           page id
 * @param location     where it was fetched from (URL or file path)
 * @param lastmod      the source's lastmod when it was fetched (sitemap lastmod, file mtime), or null
 * @param etag         the server's ETag, or null
 * @param lastModified the server's Last-Modified header, or null
 * @param contentHash  SHA-256 (hex) of the extracted page, see {@link PageDigest}
 * @param fetchedAt    when the content was last confirmed (fetched, or answered 304)
 */
public record PageState(String id, String location, Instant lastmod, String etag, String lastModified,
                        String contentHash, Instant fetchedAt) {

    public PageState {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(contentHash, "contentHash");
        Objects.requireNonNull(fetchedAt, "fetchedAt");
    }

    /** The validators to send on the next fetch. */
    public Validators validators() {
        return new Validators(etag, lastModified);
    }
}
